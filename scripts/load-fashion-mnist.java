///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Lesson 1: load Fashion-MNIST and look at it: shapes, classes, the first twelve images
//SOURCES lib/*.java

/*
 * Lesson 1: load the data and look at it.
 *
 * Keras:  (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
 *         x_train, x_val = x_train[5000:] / 255.0, x_train[:5000] / 255.0
 *
 * Run:    ./jbang load-fashion-mnist            (add --show to open the picture in a window)
 * Writes: output/fashion-mnist/samples.png
 */

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.NDList;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import lib.Charts;
import lib.CommonOptions;
import lib.DataSplits;
import lib.FashionMnist;
import lib.Launcher;
import org.knowm.xchart.XYChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@CommonOptions.Uses({"--batch-size", "--data-dir", "--limit", "--output", "--show"})
@Command(name = "load-fashion-mnist", mixinStandardHelpOptions = true,
        description = "Loads Fashion-MNIST, prints its shapes and class counts, and draws its first 12 training images.")
class LoadFashionMnist implements Callable<Integer> {
    @Mixin CommonOptions options;

    public static void main(String[] args) {
        Launcher.run(new LoadFashionMnist(), args);
    }

    @Override
    public Integer call() throws Exception {
        // 1. Load the data: 60,000 training images, the first 5,000 held out for validation, 10,000 test images.
        DataSplits data = FashionMnist.load(options.dataDir).limit(options.limit());
        System.out.printf("Training: %,d images, validation: %,d, test: %,d%n",
                data.train().size(), data.validation().size(), data.test().size());

        // 2. What the model will see: batches of 32 images, 1 channel (grey) of 28 x 28 pixels in [0, 1].
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList batch = data.train().firstBatch(manager, options.batchSize);
            NDArray images = batch.get(0);
            NDArray labels = batch.get(1);
            System.out.printf("One batch of images: %s %s, pixels from %.1f to %.1f%n",
                    images.getShape(), images.getDataType(), images.min().getFloat(), images.max().getFloat());
            System.out.printf("Its labels: %s, the first ones %s%n", labels.getShape(),
                    Arrays.toString(labels.get("0:8").toType(DataType.INT32, false).toIntArray()));
        }

        // 3. Ten classes, about equally common in every set.
        System.out.println(data.classCounts().printAll());

        // 4. The first twelve training images, with their class names.
        List<XYChart> samples = Charts.samples(data.train(), 12, 4);
        Path file = Charts.saveGrid(samples, 3, 4, options.output("fashion-mnist").resolve("samples.png"));
        System.out.println("Saved " + file);
        return 0;
    }
}
