///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Lesson 4: load CIFAR-10 and look at it: shapes, classes per split, a 3x4 grid of training images
//SOURCES lib/*.java

/*
 * Lesson 4: load CIFAR-10 and look at it.
 *
 * Keras:  (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
 *         x_train, x_val = x_train[5000:] / 255.0, x_train[:5000] / 255.0
 *
 * Run:    ./jbang load-cifar             (finds the data in --data-dir, $CIFAR10_DIR or its cache,
 *                                         else downloads the official archive, 163 MB)
 * Writes: output/cifar10/samples.png
 */

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDList;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import lib.Charts;
import lib.Cifar10;
import lib.CommonOptions;
import lib.DataSplits;
import lib.Launcher;
import org.knowm.xchart.XYChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@CommonOptions.Uses({"--batch-size", "--data-dir", "--limit", "--output", "--show"})
@Command(name = "load-cifar", mixinStandardHelpOptions = true,
        description = "Loads CIFAR-10, prints its shapes and class counts, and draws 12 training images.")
class LoadCifar implements Callable<Integer> {
    @Mixin CommonOptions options;

    public static void main(String[] args) {
        Launcher.run(new LoadCifar(), args);
    }

    @Override
    public Integer call() {
        // 1. Load the data: 50,000 training images (the first 5,000 held out for validation), 10,000 test images.
        DataSplits data = Cifar10.load(options.dataDir).limit(options.limit());
        System.out.printf("Training: %,d images, validation: %,d, test: %,d%n",
                data.train().size(), data.validation().size(), data.test().size());
        System.out.println("Classes: " + String.join(", ", data.train().classNames()));

        // 2. What the model will see: batches of colour images, 3 channels (red, green, blue) of 32 x 32 pixels.
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList batch = data.train().firstBatch(manager, options.batchSize);
            NDArray images = batch.get(0);
            System.out.printf("One batch of images: %s %s, pixels from %.1f to %.1f; labels: %s%n", images.getShape(),
                    images.getDataType(), images.min().getFloat(), images.max().getFloat(), batch.get(1).getShape());
        }

        // 3. Ten classes, equally common in the test set, nearly so in the others.
        System.out.println(data.classCounts().printAll());

        // 4. Twelve training images with their class names: small, blurry, and varied.
        List<XYChart> samples = Charts.samples(data.train(), 12, 4);
        Path file = Charts.saveGrid(samples, 3, 4, options.output("cifar10").resolve("samples.png"));
        System.out.println("Saved " + file);
        return 0;
    }
}
