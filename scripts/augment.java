///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Data augmentation: one CIFAR-10 training image and nine random variations of it (flip, contrast, rotation, zoom)
//SOURCES lib/*.java

/*
 * Data augmentation: a model that sees the same 45,000 photos epoch after epoch starts to memorise
 * them. Showing it a slightly different version of each photo every time (mirrored, tilted,
 * nearer or farther, in harsher or flatter light) makes it learn what the objects look like
 * instead. The variations are drawn afresh for every batch, and only while training: validation
 * and test images stay as they are.
 *
 * Keras:  data_augmentation = keras.Sequential([
 *             layers.RandomFlip("horizontal"),
 *             layers.RandomContrast(0.2),
 *             layers.RandomRotation(0.1),
 *             layers.RandomZoom(0.1)])
 *         image = x_train[3], then nine times data_augmentation(image) drawn in a 3 x 3 grid
 *
 * Run:    ./jbang augment              (--index N picks another image, --seed N other draws)
 * Writes: output/cifar10/augmented.png
 */

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.Pipeline;
import ai.djl.translate.Transform;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import lib.Augmentation;
import lib.BadInputException;
import lib.Charts;
import lib.Cifar10;
import lib.CommonOptions;
import lib.LabeledImages;
import lib.Launcher;
import org.knowm.xchart.XYChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@CommonOptions.Uses({"--data-dir", "--limit", "--output", "--seed", "--show"})
@Command(name = "augment", mixinStandardHelpOptions = true,
        description = "Draws one CIFAR-10 training image next to nine randomly augmented versions of it.")
class Augment implements Callable<Integer> {
    @Mixin CommonOptions options;

    @Option(names = "--index", paramLabel = "N", defaultValue = "3",
            description = "Which training image to augment (default: ${DEFAULT-VALUE}, as in the tutorial).")
    int index;

    public static void main(String[] args) {
        Launcher.run(new Augment(), args);
    }

    @Override
    public Integer call() throws Exception {
        // 1. Load CIFAR-10 and take one training image.
        LabeledImages train = Cifar10.load(options.dataDir).limit(options.limit()).train();
        if (index < 0 || index >= train.size()) {
            throw new BadInputException("--index must be between 0 and " + (train.size() - 1) + ", got " + index);
        }
        LabeledImages image = train.slice(index, index + 1);
        String className = image.classNames().get(image.label(0));
        System.out.printf("Training image %d: a %s%n", index, className);

        // 2. The tutorial's augmentation layers, in its order, seeded so a rerun draws the same variations.
        //    For training they go into the training set only:
        //    train.shuffled(manager, options.batchSize, options.seed, augmentation)
        Transform[] augmentation = Augmentation.tutorial(options.seed);
        System.out.println("Augmentation: " + Arrays.toString(augmentation));

        try (NDManager manager = NDManager.newBaseManager()) {
            // 3. Nine copies of the image in one batch: every image in a batch gets its own random draw.
            int variations = 9;
            NDArray copies = image.toTensor(manager).repeat(0, variations);
            NDArray augmented = new Pipeline(augmentation).transform(new NDList(copies)).head();

            // 4. The original and its nine variations, side by side.
            List<BufferedImage> pictures = new ArrayList<>(List.of(image.toImage(0)));
            List<String> captions = new ArrayList<>(List.of("original " + className));
            LabeledImages variationImages = LabeledImages.fromTensor(augmented, new byte[variations], image.classNames());
            for (int i = 0; i < variations; i++) {
                pictures.add(variationImages.toImage(i));
                captions.add("augmented " + (i + 1));
            }
            List<XYChart> grid = Charts.imageGrid(pictures, captions, 4);
            Path file = Charts.saveGrid(grid, 2, 5, options.output("cifar10").resolve("augmented.png"));
            System.out.println("Saved " + file);
        }
        return 0;
    }
}
