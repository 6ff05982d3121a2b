///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Lesson 2: a convolution and a max-pooling by hand on a 5x5 array, checked against DJL's layers
//SOURCES lib/*.java

/*
 * Lesson 2: what a convolution layer and a pooling layer compute, on numbers small enough to follow.
 *
 * Keras:  layers.Conv2D(1, 3, use_bias=False) with the kernel below; layers.MaxPooling2D(2)
 *
 * Run:    ./jbang convolve
 * Writes: output/convolve/shapes.png (the Fashion-MNIST network's shapes)
 */

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import lib.ByHand;
import lib.Charts;
import lib.CommonOptions;
import lib.Launcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@CommonOptions.Uses({"--output", "--show"})
@Command(name = "convolve", mixinStandardHelpOptions = true,
        description = "Computes a 3x3 convolution and a 2x2 max-pooling by hand and checks them against DJL's.")
class Convolve implements Callable<Integer> {
    @Mixin CommonOptions options;

    public static void main(String[] args) {
        Launcher.run(new Convolve(), args);
    }

    @Override
    public Integer call() {
        // 1. A tiny grey picture: dark on the left, bright on the right; an edge runs down the middle.
        float[][] image = {
            {0, 0, 0, 9, 9},
            {0, 0, 0, 9, 9},
            {0, 0, 0, 9, 9},
            {0, 0, 0, 9, 9},
            {0, 0, 0, 9, 9}};
        System.out.println("The 5x5 picture:\n" + ByHand.toText(image));

        // 2. A 3x3 kernel that answers "brighter on the right than on the left?": a vertical-edge detector.
        float[][] kernel = {
            {-1, 0, 1},
            {-1, 0, 1},
            {-1, 0, 1}};
        System.out.println("The 3x3 kernel:\n" + ByHand.toText(kernel));

        // 3. One output cell by hand: the kernel laid on the 3x3 window of rows 0-2, columns 1-3.
        StringBuilder sum = new StringBuilder();
        float total = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                sum.append(sum.length() == 0 ? "" : " + ").append(fmt(image[i][j + 1])).append("*").append(fmt(kernel[i][j]));
                total += image[i][j + 1] * kernel[i][j];
            }
        }
        System.out.println("The window at row 0, column 1: " + sum + " = " + fmt(total));
        System.out.println("(On the flat dark part, the window at column 0, every product is 0: no edge, 0.)\n");

        // 4. The whole output: no padding (3x3) and with a border of zeros, like Keras's padding="same" (5x5).
        float[][] valid = ByHand.convolve(image, kernel, 0, 1);
        float[][] same = ByHand.convolve(image, kernel, 1, 1);
        System.out.printf("Output size floor((n - k + 2p) / s) + 1: n=5, k=3, p=0, s=1 gives %d; p=1 gives %d%n",
                ByHand.outputSize(5, 3, 0, 1), ByHand.outputSize(5, 3, 1, 1));
        System.out.println("By hand, no padding:\n" + ByHand.toText(valid));
        System.out.println("By hand, padding 1:\n" + ByHand.toText(same));

        // 5. The same numbers through DJL's convolution: shapes (images, channels, height, width).
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray picture = manager.create(flat(image), new Shape(1, 1, 5, 5));
            NDArray weights = manager.create(flat(kernel), new Shape(1, 1, 3, 3));
            NDArray djlSame = Conv2d.conv2d(picture, weights, null, new Shape(1, 1), new Shape(1, 1)).head();
            System.out.println("DJL's Conv2d, padding 1, gives the same: "
                    + Arrays.equals(flat(same), djlSame.toFloatArray()));

            // 6. Max-pooling 2x2, stride 2, on the 5x5 output: each 2x2 window keeps its largest value;
            //    the odd last row and column are dropped (floor((5 - 2) / 2) + 1 = 2).
            float[][] pooled = ByHand.maxPool(same, 2, 2);
            System.out.println("\nMax-pooled by hand:\n" + ByHand.toText(pooled));
            NDArray djlPooled = Pool.maxPool2d(djlSame, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
            System.out.println("DJL's max-pooling gives the same: " + Arrays.equals(flat(pooled), djlPooled.toFloatArray()));
        }

        // 7. In the Fashion-MNIST network, padding keeps each convolution's size and each pooling halves it.
        int side = 28;
        List<String> captions = new ArrayList<>(List.of("input\n28x28x1"));
        List<Integer> sides = new ArrayList<>(List.of(side));
        for (int count : new int[] {32, 64, 128}) {
            side = ByHand.outputSize(side, 3, 1, 1);
            captions.add("conv\n" + side + "x" + side + "x" + count);
            sides.add(side);
            side = ByHand.outputSize(side, 2, 0, 2);
            captions.add("pool\n" + side + "x" + side + "x" + count);
            sides.add(side);
        }
        System.out.println("\nFashion-MNIST network: " + String.join(" -> ", captions).replace("\n", " ")
                + " -> flatten " + side * side * 128);
        Path figure = Charts.saveShapes(captions, sides, options.output("convolve").resolve("shapes.png"));
        System.out.println("Saved " + figure);
        return 0;
    }

    private static float[] flat(float[][] array) {
        float[] values = new float[array.length * array[0].length];
        for (int r = 0; r < array.length; r++) System.arraycopy(array[r], 0, values, r * array[0].length, array[0].length);
        return values;
    }

    private static String fmt(float value) {
        return value == Math.rint(value) ? String.valueOf((int) value) : String.valueOf(value);
    }
}
