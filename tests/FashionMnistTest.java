import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import lib.DataSplits;
import lib.FashionMnist;
import lib.LabeledImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @TempDir Path dir;

    /** Two 4-row x 5-column images (not square, so a swapped height and width shows), raw and gzip. */
    @Test
    void readsPixelsInRowMajorOrderAndLabels() throws IOException {
        for (String ext : new String[] {"", ".gz"}) {
            byte[] pixels = new byte[2 * 4 * 5];
            for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (i * 6); // 0..234, some over 127
            Path images = TestFiles.idx(dir.resolve("img" + ext), 0x803, new int[] {2, 4, 5}, pixels);
            Path labels = TestFiles.idx(dir.resolve("lab" + ext), 0x801, new int[] {2}, new byte[] {9, 3});

            LabeledImages read = FashionMnist.read(images, labels);

            assertEquals(2, read.size());
            assertEquals(4, read.height());
            assertEquals(5, read.width());
            assertEquals(1, read.channels());
            assertArrayEquals(pixels, read.pixels());
            assertEquals(9, read.label(0));
            assertEquals(3, read.label(1));
            assertEquals(FashionMnist.CLASS_NAMES, read.classNames());
            // Pixel (x, y) of image 1 is byte 20 + 5y + x, shown as grey.
            int grey = (20 + 5 * 3 + 4) * 6 & 0xFF;
            assertEquals(grey << 16 | grey << 8 | grey, read.toImage(1).getRGB(4, 3) & 0xFFFFFF);
        }
    }

    @Test
    void loadHoldsOutTheFirst5000TrainingImagesForValidation() throws IOException {
        // Over 10,000 images, so the tutorial's 5,000 (not DataSplits' half-of-a-small-set rule) applies.
        TestFiles.fashionMnist(dir, 10_100, 20, true);

        DataSplits data = FashionMnist.load(dir);

        assertEquals(5_000, data.validation().size());
        assertEquals(5_100, data.train().size());
        assertEquals(20, data.test().size());
        // TestFiles: image i has pixel (0, 0) = i % 256 and label i % 10.
        assertEquals(0, data.validation().pixels()[0] & 0xFF);
        assertEquals(4_999 % 256, data.validation().pixels()[4_999 * 784] & 0xFF);
        assertEquals(5_000 % 256, data.train().pixels()[0] & 0xFF);
        assertEquals(10_099 % 256, data.train().pixels()[5_099 * 784] & 0xFF);
        assertEquals(5_000 % 10, data.train().label(0));
        assertEquals(7, data.validation().label(4_997));
        assertEquals(19 % 10, data.test().label(19));
        // Pixel (x=3, y=2) of test image 5 is 5 + 2 + 3.
        assertEquals(10, data.test().pixels()[5 * 784 + 2 * 28 + 3] & 0xFF);
    }

    @Test
    void smallTrainingSetsGiveHalfToValidation() throws IOException {
        TestFiles.fashionMnist(dir, 11, 3, false);
        DataSplits data = FashionMnist.load(dir);
        assertEquals(5, data.validation().size());
        assertEquals(6, data.train().size());
        assertEquals(3, data.test().size());
    }

    @Test
    void missingFolder() {
        Path missing = dir.resolve("nowhere");
        TestFiles.assertBadInput(() -> FashionMnist.load(missing), missing, "no such folder", "--data-dir");
    }

    @Test
    void missingFile() throws IOException {
        TestFiles.fashionMnist(dir, 4, 2, true);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        TestFiles.assertBadInput(() -> FashionMnist.load(dir), dir.resolve("t10k-labels-idx1-ubyte.gz"), "missing");
    }

    @Test
    void truncatedRawFile() throws IOException {
        Path labels = TestFiles.idx(dir.resolve("labels"), 0x801, new int[] {3}, new byte[] {1, 2, 3});
        // The header promises 3 images of 28x28, the data holds two and a half.
        Path images = TestFiles.idx(dir.resolve("images"), 0x803, new int[] {3, 28, 28}, new byte[784 * 5 / 2]);
        TestFiles.assertBadInput(() -> FashionMnist.read(images, labels), images, "truncated", "2352", "1960");
    }

    @Test
    void rawFileEndingInsideItsHeader() throws IOException {
        Path labels = TestFiles.idx(dir.resolve("labels"), 0x801, new int[] {1}, new byte[] {1});
        Path images = Files.write(dir.resolve("images"), new byte[] {0, 0, 8, 3, 0, 0});
        TestFiles.assertBadInput(() -> FashionMnist.read(images, labels), images, "truncated");
    }

    @Test
    void truncatedGzipFile() throws IOException {
        Path labels = TestFiles.idx(dir.resolve("labels.gz"), 0x801, new int[] {50}, TestFiles.labels(50));
        Path images = TestFiles.idx(dir.resolve("images.gz"), 0x803, new int[] {50, 28, 28}, randomBytes(50 * 784));
        byte[] whole = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(whole, whole.length / 2));
        TestFiles.assertBadInput(() -> FashionMnist.read(images, labels), images, "truncated");
    }

    @Test
    void corruptGzipFile() throws IOException {
        Path labels = TestFiles.idx(dir.resolve("labels.gz"), 0x801, new int[] {1}, new byte[] {1});
        Path images = Files.write(dir.resolve("images.gz"), randomBytes(1000));
        TestFiles.assertBadInput(() -> FashionMnist.read(images, labels), images, "corrupt gzip");
    }

    @Test
    void wrongMagicNumber() throws IOException {
        Path images = TestFiles.idx(dir.resolve("images"), 0x803, new int[] {1, 28, 28}, new byte[784]);
        // An image file given where the labels belong.
        TestFiles.assertBadInput(() -> FashionMnist.read(images, images), images, "magic number 0x00000803", "0x00000801");
    }

    @Test
    void labelOutOfRange() throws IOException {
        Path images = TestFiles.idx(dir.resolve("images"), 0x803, new int[] {3, 28, 28}, new byte[3 * 784]);
        Path labels = TestFiles.idx(dir.resolve("labels"), 0x801, new int[] {3}, new byte[] {0, 9, 10});
        TestFiles.assertBadInput(() -> FashionMnist.read(images, labels), labels, "label 10", "item 2", "out of range");
        Path high = TestFiles.idx(dir.resolve("high"), 0x801, new int[] {3}, new byte[] {0, (byte) 200, 1});
        TestFiles.assertBadInput(() -> FashionMnist.read(images, high), high, "label 200", "item 1");
    }

    @Test
    void imageAndLabelCountsDiffer() throws IOException {
        Path images = TestFiles.idx(dir.resolve("images"), 0x803, new int[] {3, 28, 28}, new byte[3 * 784]);
        Path labels = TestFiles.idx(dir.resolve("labels"), 0x801, new int[] {2}, new byte[] {0, 1});
        TestFiles.assertBadInput(() -> FashionMnist.read(images, labels), labels, "2 labels", "3 images");
    }

    @Test
    void bytesAfterTheData() throws IOException {
        Path images = TestFiles.idx(dir.resolve("images"), 0x803, new int[] {1, 28, 28}, new byte[784 + 1]);
        Path labels = TestFiles.idx(dir.resolve("labels"), 0x801, new int[] {1}, new byte[] {0});
        TestFiles.assertBadInput(() -> FashionMnist.read(images, labels), images, "bytes after");
    }

    @Test
    void zeroDimension() throws IOException {
        Path images = TestFiles.idx(dir.resolve("images"), 0x803, new int[] {1, 0, 28}, new byte[0]);
        Path labels = TestFiles.idx(dir.resolve("labels"), 0x801, new int[] {1}, new byte[] {0});
        TestFiles.assertBadInput(() -> FashionMnist.read(images, labels), images, "dimension 1 is 0");
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        new Random(7).nextBytes(bytes);
        // Never starts with gzip's magic number by accident.
        ByteBuffer.wrap(bytes).put(0, (byte) 0x50);
        return bytes;
    }
}
