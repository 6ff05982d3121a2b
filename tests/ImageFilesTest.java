import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;
import lib.ImageFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading picture files, and every way one can be bad. */
class ImageFilesTest {
    @TempDir Path dir;

    static BufferedImage picture(int width, int height, Color colour) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    private Path write(BufferedImage image, String format, String name) throws IOException {
        Path file = dir.resolve(name);
        assertTrue(ImageIO.write(image, format, file.toFile()), format);
        return file;
    }

    @Test
    void readsEachFormat() throws IOException {
        for (String format : List.of("png", "jpg", "gif", "bmp")) {
            BufferedImage read = ImageFiles.read(write(picture(40, 30, Color.RED), format, "red." + format));
            assertEquals(40, read.getWidth(), format);
            assertEquals(30, read.getHeight(), format);
        }
    }

    @Test
    void anAnimatedGifGivesItsFirstFrame() throws IOException {
        Path file = dir.resolve("animated.gif");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (Color colour : List.of(Color.RED, Color.BLUE)) {
                BufferedImage frame = picture(10, 10, colour);
                IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
                writer.writeToSequence(new IIOImage(frame, null, metadata), null);
            }
            writer.endWriteSequence();
        }
        assertEquals(Color.RED.getRGB(), ImageFiles.read(file).getRGB(5, 5));
    }

    @Test
    void badFilesAreOneLineEach() throws IOException {
        TestFiles.assertBadInput(() -> ImageFiles.read(dir.resolve("none.png")), "none.png", "no such file");
        TestFiles.assertBadInput(() -> ImageFiles.read(dir), dir, "is a folder");
        Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
        TestFiles.assertBadInput(() -> ImageFiles.read(empty), empty, "empty file");
        Path text = Files.writeString(dir.resolve("notes.jpg"), "not a picture at all");
        TestFiles.assertBadInput(() -> ImageFiles.read(text), text, "not a picture");
        for (String format : List.of("png", "jpg")) {
            byte[] whole = Files.readAllBytes(write(picture(64, 64, Color.GREEN), format, "whole." + format));
            Path truncated = Files.write(dir.resolve("truncated." + format), Arrays.copyOf(whole, whole.length / 2));
            String message = TestFiles.assertBadInput(() -> ImageFiles.read(truncated), truncated);
            assertTrue(message.contains("damaged"), message);
        }
    }

    @Test
    void aHeaderClaimingAHugePictureIsRefusedBeforeDecoding() throws IOException {
        byte[] png = Files.readAllBytes(write(picture(8, 8, Color.GRAY), "png", "small.png"));
        // The IHDR chunk: length (4), "IHDR" (4), width (4), height (4), ..., then its CRC over type and data.
        ByteBuffer bytes = ByteBuffer.wrap(png);
        bytes.putInt(16, 100_000).putInt(20, 100_000);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        bytes.putInt(29, (int) crc.getValue());
        Path huge = Files.write(dir.resolve("huge.png"), png);
        TestFiles.assertBadInput(() -> ImageFiles.read(huge), huge, "100000 x 100000", "refused");
    }

    @Test
    void foldersGiveTheirPicturesAndAnEmptyOneIsBadInput() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("pictures"));
        write(picture(4, 4, Color.RED), "png", "pictures/b.png");
        write(picture(4, 4, Color.RED), "jpg", "pictures/a.JPG");
        Files.writeString(folder.resolve("readme.txt"), "skipped: no picture's name");
        assertEquals(List.of(folder.resolve("a.JPG"), folder.resolve("b.png")), ImageFiles.collect(List.of(folder)));
        Path none = Files.createDirectories(dir.resolve("none"));
        TestFiles.assertBadInput(() -> ImageFiles.collect(List.of(none)), none, "holds no pictures");
        TestFiles.assertBadInput(() -> ImageFiles.collect(List.of(dir.resolve("missing"))), "missing", "no such file or folder");
    }

    @Test
    void aFourChannelJpegWithoutAdobesMarkerIsRead() throws IOException {
        // A JPEG of four colour channels, as CMYK printing files are: Java's reader cannot decode it.
        java.awt.image.WritableRaster raster = java.awt.image.Raster.createInterleavedRaster(
                java.awt.image.DataBuffer.TYPE_BYTE, 16, 16, 4, null);
        Path file = dir.resolve("cmyk.jpg");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), null);
        }
        // Java reads this one (without the Adobe marker that CMYK files carry, it takes the channels as they
        // come); with the marker it refuses the file, which ImageFiles turns into one line naming CMYK.
        BufferedImage read = ImageFiles.read(file);
        assertEquals(16, read.getWidth());
        assertEquals(32, lib.NetworkInput.prepare(read, lib.TutorialRun.Dataset.CIFAR10, lib.NetworkInput.Invert.AUTO).getWidth());
    }

    @Test
    void anAdobeCmykJpegIsReadInItsColours() throws IOException {
        // Written by ImageMagick (convert -size 16x16 gradient:red-blue -colorspace CMYK): four channels
        // and Adobe's APP14 marker, as pictures saved for print are; red at the top, blue at the bottom.
        Path file = Path.of("tests", "data", "adobe-cmyk.jpg");
        assertTrue(Files.isRegularFile(file), "run the tests from the project's folder");
        BufferedImage read = ImageFiles.read(file);
        assertEquals(4, read.getRaster().getNumBands(), "cyan, magenta, yellow, black");
        BufferedImage prepared = lib.NetworkInput.prepare(read, lib.TutorialRun.Dataset.CIFAR10, lib.NetworkInput.Invert.AUTO);
        Color top = new Color(prepared.getRGB(16, 0));
        Color bottom = new Color(prepared.getRGB(16, 31));
        assertTrue(top.getRed() > 200 && top.getGreen() < 60 && top.getBlue() < 60, "top " + top);
        assertTrue(bottom.getBlue() > 200 && bottom.getRed() < 60 && bottom.getGreen() < 60, "bottom " + bottom);
    }
}
