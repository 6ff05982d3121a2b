package lib;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * A first layer that "whitens" the pixels, after Keller Jordan's airbench (and David Page's ResNet
 * work before it). Neighbouring pixels and colour channels are strongly correlated: most of a 2x2
 * patch's twelve numbers can be guessed from the others. The layer's filters are the patches'
 * principal directions (the eigenvectors of their covariance matrix), each divided by the square
 * root of its eigenvalue, so that over the training images every filter's output has variance one
 * and no two are correlated: the next layers see twelve independent numbers a patch instead of
 * twelve echoes of the same brightness. The layer keeps the eight strongest directions (the four
 * weakest carry little but noise) and each comes twice, as it is and negated, so the GELU after it
 * keeps both signs: 16 filters (CPUs are fastest with multiples of 16; airbench keeps all twelve
 * directions, 24 filters, but on two cores the next layer's cost grows with every filter). The
 * filters are set once, from the data, and not trained; their biases are trained for the first
 * epochs.
 */
public final class Whitening {
    private Whitening() {}

    /** The whitening layer's filters: the eight strongest directions, each as it is and negated. */
    public static final int FILTERS = 16;

    /** The directions the filters keep, strongest first. */
    static final int DIRECTIONS = FILTERS / 2;

    /** Added to each eigenvalue, as airbench does, so the weakest directions are not blown up into noise. */
    static final double EPSILON = 5e-4;

    /** airbench's per-channel mean and standard deviation of CIFAR-10's pixels in [0, 1], folded into the filters. */
    private static final double[] MEAN = {0.4914, 0.4822, 0.4465};
    private static final double[] DEVIATION = {0.2470, 0.2435, 0.2616};

    /**
     * Sets the 2x2 convolution {@code layer} (3 channels in, {@link #FILTERS} out) to whiten the
     * patches of the first {@code count} of {@code images}. The network sees pixels in [0, 1]; the
     * normalisation by channel mean and deviation is folded into the filters and their biases.
     */
    public static void initialise(Conv2d layer, LabeledImages images, int count) {
        double[][] directions = principalDirections(images, count);
        float[] filters = new float[FILTERS * 12];
        float[] biases = new float[FILTERS];
        for (int filter = 0; filter < FILTERS; filter++) {
            int direction = filter % DIRECTIONS;
            int sign = filter < DIRECTIONS ? 1 : -1;
            double bias = 0;
            for (int k = 0; k < 12; k++) { // k: channel * 4 + row * 2 + column, the filter's own order
                int channel = k / 4;
                double onNormalised = sign * directions[direction][k];
                filters[filter * 12 + k] = (float) (onNormalised / DEVIATION[channel]);
                bias -= onNormalised * MEAN[channel] / DEVIATION[channel];
            }
            biases[filter] = (float) bias;
        }
        for (Parameter parameter : layer.getParameters().values()) {
            NDArray array = parameter.getArray();
            Engines.overwrite(array, parameter.getType() == Parameter.Type.WEIGHT ? filters : biases);
        }
    }

    /**
     * The twelve principal directions of the normalised 2x2 patches of the first {@code count}
     * images, strongest first, each divided by sqrt(eigenvalue + {@link #EPSILON}).
     */
    static double[][] principalDirections(LabeledImages images, int count) {
        double[][] covariance = patchCovariance(images, Math.min(count, images.size()));
        EigenDecomposition eigen = new EigenDecomposition(MatrixUtils.createRealMatrix(covariance));
        double[] values = eigen.getRealEigenvalues();
        Integer[] strongestFirst = new Integer[12];
        for (int i = 0; i < 12; i++) strongestFirst[i] = i;
        java.util.Arrays.sort(strongestFirst, (a, b) -> Double.compare(values[b], values[a]));
        RealMatrix vectors = eigen.getV(); // eigenvectors as columns
        double[][] directions = new double[12][];
        for (int i = 0; i < 12; i++) {
            int which = strongestFirst[i];
            double scale = 1 / Math.sqrt(values[which] + EPSILON);
            directions[i] = vectors.getColumnVector(which).mapMultiply(scale).toArray();
        }
        return directions;
    }

    /** The 12x12 matrix of mean products of every 2x2 patch's normalised numbers, over the first {@code count} images. */
    static double[][] patchCovariance(LabeledImages images, int count) {
        int height = images.height(), width = images.width(), channels = images.channels();
        byte[] pixels = images.pixels();
        double[][] sums = new double[12][12];
        double[] patch = new double[12];
        for (int image = 0; image < count; image++) {
            int offset = image * height * width * channels;
            for (int y = 0; y + 1 < height; y++) {
                for (int x = 0; x + 1 < width; x++) {
                    for (int k = 0; k < 12; k++) {
                        int channel = k / 4, row = y + (k / 2) % 2, column = x + k % 2;
                        int value = pixels[offset + (row * width + column) * channels + channel] & 0xFF;
                        patch[k] = (value / 255.0 - MEAN[channel]) / DEVIATION[channel];
                    }
                    for (int a = 0; a < 12; a++) for (int b = a; b < 12; b++) sums[a][b] += patch[a] * patch[b];
                }
            }
        }
        double patches = (double) count * (height - 1) * (width - 1);
        for (int a = 0; a < 12; a++) {
            for (int b = a; b < 12; b++) {
                sums[a][b] /= patches;
                sums[b][a] = sums[a][b];
            }
        }
        return sums;
    }
}
