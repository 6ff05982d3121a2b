///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Lesson 5: inside a trained CNN: its first layer's filters, and one picture's feature maps after each convolution
//SOURCES lib/*.java

/*
 * Lesson 5: what did the convolutions learn? The first layer's 32 filters drawn as tiny pictures,
 * and what one test picture looks like to the network after each convolution block.
 *
 * Keras:  filters = model.layers[0].get_weights()[0]
 *         activations = keras.Model(model.inputs, [layer.output for layer in conv_layers]).predict(x)
 *
 * Run:    ./jbang features                     (CIFAR-10: yours in output/cifar10, else models/cifar10)
 *         ./jbang features --image 7 --model models/fashion-mnist
 * Writes: output/features/<model folder's name>/filters.png and feature-maps.png
 */

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import lib.BadInputException;
import lib.Charts;
import lib.CommonOptions;
import lib.LabeledImages;
import lib.Launcher;
import lib.ModelOption;
import lib.Models;
import lib.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@CommonOptions.Uses({"--data-dir", "--output", "--show"})
@Command(name = "features", mixinStandardHelpOptions = true,
        description = "Draws a trained CNN's first-layer filters and a test picture's feature maps after each convolution.")
class Features implements Callable<Integer> {
    @Mixin CommonOptions options;

    @Mixin ModelOption trained;

    @Option(names = "--image", paramLabel = "N", defaultValue = "0", description = "Which test picture (default: ${DEFAULT-VALUE}).")
    int image;

    /** Feature maps drawn for each block: the first channels. */
    private static final int MAPS = 8;

    public static void main(String[] args) {
        Launcher.run(new Features(), args);
    }

    @Override
    public Integer call() {
        // 1. The model and one test picture
        RunFolder.Saved saved = trained.open();
        LabeledImages test = saved.run().dataset().load(options.dataDir).test();
        if (image < 0 || image >= test.size()) throw new BadInputException("--image must be between 0 and " + (test.size() - 1) + ", got " + image);
        Path output = options.output("features/" + saved.dir().getFileName());

        try (Model model = saved.loadModel(); NDManager manager = NDManager.newBaseManager()) {
            List<Pair<String, Block>> layers = model.getBlock().getChildren().stream().toList();

            // 2. The first layer's filters: each is 3 x 3 weights per input channel, drawn as a tiny picture
            Conv2d first = Models.firstConvolution(model.getBlock());
            if (first == null) throw new BadInputException(saved.dir(), "its network has no convolution, so no filters to draw");
            NDArray weights = first.getParameters().get("weight").getArray(); // (filters, channels, 3, 3)
            List<BufferedImage> filters = new ArrayList<>();
            List<String> numbers = new ArrayList<>();
            for (int f = 0; f < weights.getShape().get(0); f++) {
                filters.add(picture(weights.get(f), true));
                numbers.add(String.valueOf(f + 1));
            }
            Path filtersFile = Charts.saveGrid(Charts.imageGrid(filters, numbers, 16), (filters.size() + 7) / 8, 8, output.resolve("filters.png"));

            // 3. The picture through the network, layer by layer: after each convolution and its ReLU,
            //    the first channels' feature maps, each scaled from its darkest to its brightest value
            String className = test.classNames().get(test.label(image));
            List<BufferedImage> tiles = new ArrayList<>();
            List<String> captions = new ArrayList<>();
            NDList x = new NDList(test.slice(image, image + 1).toTensor(manager));
            ParameterStore parameters = new ParameterStore(manager, false);
            int rows = 0;
            for (int i = 0; i < layers.size(); i++) {
                Block layer = layers.get(i).getValue();
                x = layer.forward(parameters, x, false);
                // A block ends at the ReLU after a convolution (the tutorial's layers), or is one layer
                // holding its convolutions, normalisation and GELU (lesson 12's network)
                boolean endOfBlock = i > 0 && layers.get(i - 1).getValue() instanceof Conv2d
                        || !(layer instanceof Conv2d) && Models.firstConvolution(layer) != null;
                if (!endOfBlock) continue;
                rows++;
                NDArray maps = x.head().get(0); // (channels, height, width)
                tiles.add(test.toImage(image));
                captions.add(className + ", block " + rows);
                for (int c = 0; c < MAPS; c++) {
                    // Every map drawn at the picture's size, so a 4 x 4 map shows its 16 coarse cells
                    tiles.add(enlarged(picture(maps.get(c).expandDims(0), false), test.width()));
                    captions.add("map " + (c + 1) + ", " + maps.getShape().get(1) + "x" + maps.getShape().get(2));
                }
            }
            Path mapsFile = Charts.saveGrid(Charts.imageGrid(tiles, captions, 160 / test.width()), rows, MAPS + 1, output.resolve("feature-maps.png"));
            System.out.println("Test picture " + image + ": " + ("AEIOUaeiou".indexOf(className.charAt(0)) >= 0 ? "an " : "a ") + className);
            System.out.println("Saved " + filtersFile + " and " + mapsFile);
        }
        return 0;
    }

    private static BufferedImage enlarged(BufferedImage small, int side) {
        BufferedImage large = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) large.setRGB(x, y, small.getRGB(x * small.getWidth() / side, y * small.getHeight() / side));
        }
        return large;
    }

    /**
     * An array (channels, height, width) as a picture: three channels as colour, one as grey, scaled so
     * that its smallest value is black and its largest white ({@code shared}: one scale for all channels).
     */
    private static BufferedImage picture(NDArray array, boolean shared) {
        int channels = (int) array.getShape().get(0);
        int height = (int) array.getShape().get(1);
        int width = (int) array.getShape().get(2);
        float[] values = array.toFloatArray();
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float range = max > min ? max - min : 1;
        BufferedImage result = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int[] rgb = new int[3];
                for (int c = 0; c < 3; c++) {
                    int channel = channels == 3 ? c : 0;
                    rgb[c] = Math.round(255 * (values[(channel * height + y) * width + x] - min) / range);
                }
                result.setRGB(x, y, rgb[0] << 16 | rgb[1] << 8 | rgb[2]);
            }
        }
        return result;
    }
}
