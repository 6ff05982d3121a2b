package lib;

/**
 * A convolution and a max-pooling computed the plain way, with loops over a small 2-D array, to see
 * exactly what the network's layers compute (lesson 2). The layers do the same, for many channels and
 * images at once, in MXNet's optimised code.
 */
public final class ByHand {
    private ByHand() {}

    /** floor((n - k + 2p) / s) + 1: the output size of a window of k slid over n with padding p and stride s. */
    public static int outputSize(int n, int k, int padding, int stride) {
        return Math.floorDiv(n - k + 2 * padding, stride) + 1;
    }

    /**
     * Slides {@code kernel} over {@code image} (zeros around it when {@code padding} > 0), moving
     * {@code stride} cells at a time: each output cell is the sum of the window's cells times the
     * kernel's. (Strictly a cross-correlation, as in every deep-learning library: the kernel is not flipped.)
     */
    public static float[][] convolve(float[][] image, float[][] kernel, int padding, int stride) {
        int k = kernel.length;
        int rows = outputSize(image.length, k, padding, stride);
        int columns = outputSize(image[0].length, k, padding, stride);
        float[][] output = new float[rows][columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                float sum = 0;
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        sum += cell(image, r * stride + i - padding, c * stride + j - padding) * kernel[i][j];
                    }
                }
                output[r][c] = sum;
            }
        }
        return output;
    }

    /** The largest cell of each {@code size} x {@code size} window, windows {@code stride} apart. */
    public static float[][] maxPool(float[][] input, int size, int stride) {
        int rows = outputSize(input.length, size, 0, stride);
        int columns = outputSize(input[0].length, size, 0, stride);
        float[][] output = new float[rows][columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                float max = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < size; i++) {
                    for (int j = 0; j < size; j++) max = Math.max(max, input[r * stride + i][c * stride + j]);
                }
                output[r][c] = max;
            }
        }
        return output;
    }

    /** A cell of {@code image}, or 0 outside it: the padding. */
    private static float cell(float[][] image, int row, int column) {
        boolean inside = row >= 0 && row < image.length && column >= 0 && column < image[0].length;
        return inside ? image[row][column] : 0;
    }

    /** The array as rows of numbers, for printing. */
    public static String toText(float[][] array) {
        StringBuilder text = new StringBuilder();
        for (float[] row : array) {
            for (float value : row) text.append(String.format("%5s", value == Math.rint(value) ? String.valueOf((int) value) : String.valueOf(value)));
            text.append('\n');
        }
        return text.toString();
    }
}
