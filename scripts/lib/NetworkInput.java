package lib;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * Turns any picture into exactly what a network was trained on: CIFAR-10's 32 x 32 colour photos or
 * Fashion-MNIST's 28 x 28 grey pictures of a light garment on black. A network only knows the kind of
 * input it was trained with; anything else (another size, a white background) is, to it, a picture
 * unlike any it has seen. The steps, in order:
 * <ol>
 * <li>transparent parts become white, as on a web page;</li>
 * <li>the largest centred square is kept: both datasets are square, and squeezing a wide picture into
 *     a square would make every object look thin, so the sides of the picture are cut off instead;</li>
 * <li>the square is shrunk to the network's size by averaging each output pixel's area of input pixels
 *     (keeping one input pixel out of many instead would turn fine patterns into noise);</li>
 * <li>for Fashion-MNIST, colours become grey (0.299 R + 0.587 G + 0.114 B, as PIL and Keras do) and,
 *     when the picture is dark on light (a product photo on white), light and dark are swapped.</li>
 * </ol>
 * No augmentation: prediction shows the network the picture as it is.
 */
public final class NetworkInput {
    private NetworkInput() {}

    /** Whether to swap light and dark for Fashion-MNIST: by the picture's border, always, or never. */
    public enum Invert { AUTO, ON, OFF }

    /** {@code picture} prepared for a network trained on {@code dataset}: side x side, RGB or grey. */
    public static BufferedImage prepare(BufferedImage picture, TutorialRun.Dataset dataset, Invert invert) {
        int side = (int) dataset.imageShape().get(1);
        boolean grey = dataset.imageShape().get(0) == 1;
        BufferedImage square = shrink(centredSquare(onWhite(picture)), side);
        if (!grey) return square;
        BufferedImage result = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        boolean swap = invert == Invert.ON || (invert == Invert.AUTO && lightBorder(square));
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int level = luminance(square.getRGB(x, y));
                if (swap) level = 255 - level;
                result.getRaster().setSample(x, y, 0, level);
            }
        }
        return result;
    }

    /** Fashion-MNIST's garments are light on a black background: a light border means the opposite. */
    static boolean lightBorder(BufferedImage picture) {
        long sum = 0;
        int count = 0;
        int w = picture.getWidth();
        int h = picture.getHeight();
        for (int x = 0; x < w; x++) {
            sum += luminance(picture.getRGB(x, 0)) + luminance(picture.getRGB(x, h - 1));
            count += 2;
        }
        for (int y = 1; y < h - 1; y++) {
            sum += luminance(picture.getRGB(0, y)) + luminance(picture.getRGB(w - 1, y));
            count += 2;
        }
        return sum / (double) count > 127.5;
    }

    /** The image's pixels as the datasets store them: one byte a channel, row after row. */
    public static byte[] pixels(BufferedImage prepared) {
        int w = prepared.getWidth();
        int h = prepared.getHeight();
        boolean grey = prepared.getType() == BufferedImage.TYPE_BYTE_GRAY;
        byte[] bytes = new byte[w * h * (grey ? 1 : 3)];
        int i = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (grey) {
                    bytes[i++] = (byte) prepared.getRaster().getSample(x, y, 0);
                } else {
                    int rgb = prepared.getRGB(x, y);
                    bytes[i++] = (byte) (rgb >> 16);
                    bytes[i++] = (byte) (rgb >> 8);
                    bytes[i++] = (byte) rgb;
                }
            }
        }
        return bytes;
    }

    private static int luminance(int rgb) {
        return (int) Math.round(0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF));
    }

    /** Any picture (grey, palette, 16-bit, with transparency) as 8-bit RGB on white. */
    private static BufferedImage onWhite(BufferedImage picture) {
        BufferedImage rgb = new BufferedImage(picture.getWidth(), picture.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
        g.drawImage(picture, 0, 0, null);
        g.dispose();
        return rgb;
    }

    private static BufferedImage centredSquare(BufferedImage picture) {
        int side = Math.min(picture.getWidth(), picture.getHeight());
        return picture.getSubimage((picture.getWidth() - side) / 2, (picture.getHeight() - side) / 2, side, side);
    }

    /**
     * Area averaging: each output pixel is the mean of the input pixels it covers, a pixel cut by the
     * edge counting for the part inside. Done along rows, then along columns, on each colour.
     */
    private static BufferedImage shrink(BufferedImage square, int side) {
        int n = square.getWidth();
        if (n == side) return square; // already the right size: the pixels as they are
        int[] rgb = square.getRGB(0, 0, n, n, null, 0, n);
        BufferedImage result = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        double[][] weights = new double[side][];
        int[] first = new int[side];
        double scale = n / (double) side;
        for (int o = 0; o < side; o++) {
            double from = o * scale;
            double to = from + scale;
            first[o] = (int) Math.floor(from);
            int last = Math.min(n - 1, (int) Math.ceil(to) - 1);
            weights[o] = new double[last - first[o] + 1];
            for (int k = first[o]; k <= last; k++) {
                weights[o][k - first[o]] = (Math.min(to, k + 1) - Math.max(from, k)) / scale;
            }
        }
        double[][] rows = new double[3][n * side]; // after averaging along rows: n rows of side pixels
        for (int y = 0; y < n; y++) {
            for (int o = 0; o < side; o++) {
                for (int k = 0; k < weights[o].length; k++) {
                    int pixel = rgb[y * n + first[o] + k];
                    double w = weights[o][k];
                    rows[0][y * side + o] += w * ((pixel >> 16) & 0xFF);
                    rows[1][y * side + o] += w * ((pixel >> 8) & 0xFF);
                    rows[2][y * side + o] += w * (pixel & 0xFF);
                }
            }
        }
        for (int o = 0; o < side; o++) {
            for (int x = 0; x < side; x++) {
                int packed = 0;
                for (int c = 0; c < 3; c++) {
                    double sum = 0;
                    for (int k = 0; k < weights[o].length; k++) sum += weights[o][k] * rows[c][(first[o] + k) * side + x];
                    packed = (packed << 8) | Math.max(0, Math.min(255, (int) Math.round(sum)));
                }
                result.setRGB(x, o, packed);
            }
        }
        return result;
    }
}
