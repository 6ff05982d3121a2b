import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import java.util.Random;
import lib.ByHand;
import org.junit.jupiter.api.Test;

/** The hand computations of lesson 2 give what DJL's layers give on the same numbers. */
class ByHandTest {
    private static float[][] random(int rows, int columns, Random random) {
        float[][] array = new float[rows][columns];
        for (float[] row : array) for (int c = 0; c < columns; c++) row[c] = random.nextInt(19) - 9; // small integers: exact sums
        return array;
    }

    private static float[] flat(float[][] array) {
        float[] values = new float[array.length * array[0].length];
        for (int r = 0; r < array.length; r++) System.arraycopy(array[r], 0, values, r * array[0].length, array[0].length);
        return values;
    }

    @Test
    void convolutionByHandIsDjls() {
        Random random = new Random(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int[] setup : new int[][] {{5, 3, 0, 1}, {5, 3, 1, 1}, {7, 3, 1, 2}, {8, 5, 2, 1}, {6, 3, 0, 2}}) {
                int n = setup[0], k = setup[1], padding = setup[2], stride = setup[3];
                float[][] image = random(n, n, random);
                float[][] kernel = random(k, k, random);
                float[][] byHand = ByHand.convolve(image, kernel, padding, stride);
                NDArray djl = Conv2d.conv2d(manager.create(flat(image), new Shape(1, 1, n, n)), manager.create(flat(kernel), new Shape(1, 1, k, k)),
                        null, new Shape(stride, stride), new Shape(padding, padding)).head();
                int size = ByHand.outputSize(n, k, padding, stride);
                assertEquals(new Shape(1, 1, size, size), djl.getShape(), java.util.Arrays.toString(setup));
                assertArrayEquals(djl.toFloatArray(), flat(byHand), java.util.Arrays.toString(setup));
            }
        }
    }

    @Test
    void maxPoolingByHandIsDjls() {
        Random random = new Random(4);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int n : new int[] {4, 5, 7}) {
                float[][] input = random(n, n, random);
                NDArray djl = Pool.maxPool2d(manager.create(flat(input), new Shape(1, 1, n, n)), new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
                assertArrayEquals(djl.toFloatArray(), flat(ByHand.maxPool(input, 2, 2)), "n = " + n);
            }
        }
    }

    @Test
    void theOutputSizeFormula() {
        assertEquals(3, ByHand.outputSize(5, 3, 0, 1));
        assertEquals(5, ByHand.outputSize(5, 3, 1, 1));
        assertEquals(14, ByHand.outputSize(28, 2, 0, 2));
        assertEquals(3, ByHand.outputSize(7, 2, 0, 2)); // odd sizes round down, as in the Fashion-MNIST network
    }
}
