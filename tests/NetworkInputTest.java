import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import lib.NetworkInput;
import lib.NetworkInput.Invert;
import lib.TutorialRun.Dataset;
import org.junit.jupiter.api.Test;

/** Any picture becomes what the network was trained on. */
class NetworkInputTest {
    @Test
    void sizesAndChannelsAreTheDatasets() {
        BufferedImage wide = ImageFilesTest.picture(300, 200, Color.ORANGE);
        BufferedImage colour = NetworkInput.prepare(wide, Dataset.CIFAR10, Invert.AUTO);
        assertEquals(32, colour.getWidth());
        assertEquals(32, colour.getHeight());
        assertEquals(32 * 32 * 3, NetworkInput.pixels(colour).length);
        BufferedImage grey = NetworkInput.prepare(wide, Dataset.FASHION_MNIST, Invert.OFF);
        assertEquals(28, grey.getWidth());
        assertEquals(28 * 28, NetworkInput.pixels(grey).length);
        // 0.299 R + 0.587 G + 0.114 B of orange (255, 200, 0)
        assertEquals(Math.round(0.299 * 255 + 0.587 * 200), NetworkInput.pixels(grey)[0] & 0xFF);
    }

    @Test
    void aPictureOfTheRightSizeIsLeftAsItIs() {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) for (int x = 0; x < 32; x++) image.setRGB(x, y, (x * 8) << 16 | (y * 8) << 8 | (x + y));
        BufferedImage same = NetworkInput.prepare(image, Dataset.CIFAR10, Invert.AUTO);
        for (int y = 0; y < 32; y++) for (int x = 0; x < 32; x++) assertEquals(image.getRGB(x, y), same.getRGB(x, y));
    }

    @Test
    void shrinkingAveragesInsteadOfPickingPixels() {
        // Stripes one pixel wide: picking every fourth pixel would give all black or all white.
        BufferedImage stripes = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 128; y++) for (int x = 0; x < 128; x++) stripes.setRGB(x, y, x % 2 == 0 ? 0xFFFFFF : 0);
        BufferedImage small = NetworkInput.prepare(stripes, Dataset.CIFAR10, Invert.AUTO);
        for (int x = 0; x < 32; x++) {
            int red = (small.getRGB(x, 10) >> 16) & 0xFF;
            assertTrue(Math.abs(red - 128) <= 1, "pixel " + x + ": " + red);
        }
    }

    @Test
    void theCentreSquareIsKept() {
        // A wide picture: red left third, green middle, blue right third. The centred square is green.
        BufferedImage wide = new BufferedImage(96, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) for (int x = 0; x < 96; x++) wide.setRGB(x, y, x < 32 ? 0xFF0000 : x < 64 ? 0x00FF00 : 0x0000FF);
        BufferedImage square = NetworkInput.prepare(wide, Dataset.CIFAR10, Invert.AUTO);
        assertEquals(0x00FF00, square.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x00FF00, square.getRGB(31, 31) & 0xFFFFFF);
    }

    @Test
    void aDarkGarmentOnWhiteIsInvertedLikeFashionMnist() {
        BufferedImage onWhite = ImageFilesTest.picture(56, 56, Color.WHITE);
        for (int y = 14; y < 42; y++) for (int x = 14; x < 42; x++) onWhite.setRGB(x, y, 0x202020);
        byte[] auto = NetworkInput.pixels(NetworkInput.prepare(onWhite, Dataset.FASHION_MNIST, Invert.AUTO));
        assertEquals(0, auto[0] & 0xFF, "background black");
        assertEquals(255 - 0x20, auto[14 * 28 + 14] & 0xFF, "garment light");
        byte[] off = NetworkInput.pixels(NetworkInput.prepare(onWhite, Dataset.FASHION_MNIST, Invert.OFF));
        assertEquals(255, off[0] & 0xFF);
        // Already light on black: auto leaves it.
        BufferedImage onBlack = ImageFilesTest.picture(28, 28, Color.BLACK);
        assertEquals(0, NetworkInput.pixels(NetworkInput.prepare(onBlack, Dataset.FASHION_MNIST, Invert.AUTO))[0] & 0xFF);
        assertEquals(255, NetworkInput.pixels(NetworkInput.prepare(onBlack, Dataset.FASHION_MNIST, Invert.ON))[0] & 0xFF);
    }

    @Test
    void transparentPartsBecomeWhite() {
        BufferedImage clear = new BufferedImage(32, 32, BufferedImage.TYPE_INT_ARGB); // all transparent
        assertEquals(0xFFFFFF, NetworkInput.prepare(clear, Dataset.CIFAR10, Invert.AUTO).getRGB(3, 3) & 0xFFFFFF);
    }
}
