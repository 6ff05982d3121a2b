import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import java.util.ArrayList;
import java.util.List;
import lib.DataSplits;
import lib.LabeledImages;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** DataSplits and LabeledImages: splitting, limiting, class counts, and the batches the model sees. */
class DataTest {
    private static final List<String> NAMES = List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9");

    /** {@code count} images of {@code height x width x channels}; byte (i, y, x, c) = 7i + 3y + 5x + 11c mod 256; label i % 10. */
    static LabeledImages images(int count, int height, int width, int channels) {
        byte[] pixels = new byte[count * height * width * channels];
        byte[] labels = new byte[count];
        int p = 0;
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % 10);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    for (int c = 0; c < channels; c++) pixels[p++] = (byte) pixel(i, y, x, c);
        }
        return new LabeledImages(pixels, labels, height, width, channels, NAMES);
    }

    static int pixel(int i, int y, int x, int c) {
        return (7 * i + 3 * y + 5 * x + 11 * c) % 256;
    }

    @Test
    void holdOutValidationFollowsKeras() {
        DataSplits big = DataSplits.holdOutValidation(images(10_001, 1, 1, 1), images(3, 1, 1, 1));
        assertEquals(5_000, big.validation().size());
        assertEquals(5_001, big.train().size());
        assertEquals(3, big.test().size());
        // Validation is the first images, training the rest, both in order.
        assertEquals(0, big.validation().label(0));
        assertEquals(4_999 % 10, big.validation().label(4_999));
        assertEquals(5_000 % 10, big.train().label(0));
        assertEquals(pixel(5_000, 0, 0, 0), big.train().pixels()[0] & 0xFF);

        DataSplits small = DataSplits.holdOutValidation(images(9, 1, 1, 1), images(3, 1, 1, 1));
        assertEquals(4, small.validation().size()); // min(5000, 9 / 2)
        assertEquals(5, small.train().size());
    }

    @Test
    void limitTakesTheFirstImagesOfEachSet() {
        DataSplits data = new DataSplits(images(20, 2, 2, 1), images(8, 2, 2, 1), images(3, 2, 2, 1));
        DataSplits limited = data.limit(5);
        assertEquals(5, limited.train().size());
        assertEquals(5, limited.validation().size());
        assertEquals(3, limited.test().size());
        assertArrayEquals(java.util.Arrays.copyOf(data.train().pixels(), 5 * 4), limited.train().pixels());
        assertEquals(4, limited.train().label(4));
        assertSame(data.test(), limited.test());
        assertEquals(20, data.limit(Integer.MAX_VALUE).train().size());
    }

    @Test
    void classCountsTable() {
        byte[] trainLabels = {0, 0, 0, 1, 9, 9};
        LabeledImages train = new LabeledImages(new byte[6], trainLabels, 1, 1, 1, NAMES);
        DataSplits data = new DataSplits(train, images(12, 1, 1, 1), images(3, 1, 1, 1));

        Table table = data.classCounts();

        assertEquals(List.of("class", "train", "validation", "test"), table.columnNames());
        assertEquals(10, table.rowCount());
        assertEquals(NAMES, table.stringColumn("class").asList());
        assertEquals(List.of(3, 1, 0, 0, 0, 0, 0, 0, 0, 2), table.intColumn("train").asList());
        assertEquals(List.of(2, 2, 1, 1, 1, 1, 1, 1, 1, 1), table.intColumn("validation").asList());
        assertEquals(List.of(1, 1, 1, 0, 0, 0, 0, 0, 0, 0), table.intColumn("test").asList());
    }

    @Test
    void greyBatchesAreNchwFloatsScaledTo01AndKeepTheLastPartialBatch() throws Exception {
        LabeledImages data = images(100, 4, 5, 1);
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Long> sizes = new ArrayList<>();
            int seen = 0;
            for (Batch batch : data.inOrder(manager, 32).getData(manager)) {
                NDArray x = batch.getData().head();
                NDArray y = batch.getLabels().head();
                long n = x.getShape().get(0);
                sizes.add(n);
                assertEquals(new Shape(n, 1, 4, 5), x.getShape());
                assertEquals(DataType.FLOAT32, x.getDataType());
                assertEquals(new Shape(n), y.getShape());
                float[] values = x.toFloatArray();
                float[] labels = y.toType(DataType.FLOAT32, false).toFloatArray();
                for (int i = 0; i < n; i++) {
                    assertEquals((seen + i) % 10, labels[i], 0f);
                    for (int row = 0; row < 4; row++)
                        for (int col = 0; col < 5; col++)
                            assertEquals(pixel(seen + i, row, col, 0) / 255f, values[(i * 4 + row) * 5 + col], 1e-6f);
                }
                seen += n;
                batch.close();
            }
            assertEquals(List.of(32L, 32L, 32L, 4L), sizes);
            assertEquals(100, seen);
        }
    }

    @Test
    void colourBatchesPutChannelsFirst() throws Exception {
        LabeledImages data = images(3, 2, 4, 3); // stored height x width x channels
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = data.inOrder(manager, 8).getData(manager).iterator().next();
            NDArray x = batch.getData().head();
            assertEquals(new Shape(3, 3, 2, 4), x.getShape());
            float[] values = x.toFloatArray();
            int k = 0;
            for (int i = 0; i < 3; i++)
                for (int c = 0; c < 3; c++)
                    for (int y = 0; y < 2; y++)
                        for (int col = 0; col < 4; col++)
                            assertEquals(pixel(i, y, col, c) / 255f, values[k++], 1e-6f, "image " + i + " channel " + c);
            batch.close();
        }
    }

    @Test
    void shuffledBatchesServeEveryImageOnceWithItsOwnLabel() throws Exception {
        // A 1x1 grey image whose pixel is its index, so each label can be checked against its image.
        byte[] pixels = new byte[70];
        byte[] labels = new byte[70];
        for (int i = 0; i < 70; i++) {
            pixels[i] = (byte) i;
            labels[i] = (byte) (i % 10);
        }
        LabeledImages data = new LabeledImages(pixels, labels, 1, 1, 1, NAMES);
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Integer> order = new ArrayList<>();
            for (Batch batch : data.shuffled(manager, 16, 42).getData(manager)) {
                float[] x = batch.getData().head().toFloatArray();
                float[] y = batch.getLabels().head().toFloatArray();
                for (int i = 0; i < x.length; i++) {
                    int index = Math.round(x[i] * 255);
                    order.add(index);
                    assertEquals(index % 10, y[i], 0f);
                }
                batch.close();
            }
            assertEquals(70, order.size());
            assertEquals(70, order.stream().distinct().count());
            List<Integer> sorted = new ArrayList<>(order);
            sorted.sort(null);
            assertEquals(sorted.size(), 70);
            org.junit.jupiter.api.Assertions.assertNotEquals(sorted, order, "shuffle=true left the images in order");
        }
    }
}
