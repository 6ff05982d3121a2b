///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Lessons 5 and 8: train the deeper CNN on CIFAR-10 for 25 epochs (--augment: with data augmentation)
//SOURCES lib/*.java

/*
 * Lesson 5: build and train a deeper CNN on CIFAR-10 (lesson 8: the same with data augmentation).
 *
 * Keras:  model = keras.Sequential([
 *             layers.Conv2D(32, 3, padding="same", activation="relu", input_shape=(32, 32, 3)),
 *             layers.MaxPooling2D(2),
 *             ... the same with 64, 128 and 256 filters ...,
 *             layers.Flatten(), layers.Dense(256, activation="relu"), layers.Dense(128, activation="relu"),
 *             layers.Dense(64, activation="relu"), layers.Dense(10, activation="softmax")])
 *         model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01),
 *                       loss="sparse_categorical_crossentropy", metrics=["accuracy"])
 *         history = model.fit(x_train, y_train, epochs=25, batch_size=32, validation_data=(x_val, y_val))
 *
 * Run:    ./jbang train-cifar                    (25 epochs, about half an hour on 2 cores)
 *         ./jbang train-cifar --augment          (or ./jbang train-cifar-augmented)
 *         ./jbang train-cifar --epochs 1 --limit 2000   (a quick look)
 * Writes: output/cifar10/ (output/cifar10-augmented/ with --augment): history.csv, accuracy.png,
 *         loss.png and the trained weights, cifar10-cnn-0025.params
 */

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.translate.Transform;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import lib.Augmentation;
import lib.Cifar10;
import lib.CommonOptions;
import lib.DataSplits;
import lib.History;
import lib.Launcher;
import lib.Models;
import lib.Training;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train-cifar", mixinStandardHelpOptions = true,
        description = "Trains the tutorial's deeper CNN on CIFAR-10 and saves its history, curves and weights.")
class TrainCifar implements Callable<Integer> {
    @Mixin CommonOptions options;

    @Option(names = "--augment", description = "Flip, rotate, zoom and change the contrast of each training image at random.")
    boolean augment;

    public static void main(String[] args) {
        Launcher.run(new TrainCifar(), args);
    }

    @Override
    public Integer call() {
        int epochs = options.epochs(25);
        Path output = options.output(augment ? "cifar10-augmented" : "cifar10");
        Engine.getInstance().setRandomSeed(options.seed);

        // 1. Load the data
        DataSplits data = Cifar10.load(options.dataDir).limit(options.limit());
        Shape imageShape = data.train().imageShape();

        // 2. Build the model: four convolution blocks, then three hidden dense layers.
        try (Model model = Models.create(Models.CIFAR10, Models.cifarCnn(), imageShape);
                NDManager manager = NDManager.newBaseManager()) {
            System.out.println(Models.summary(model.getBlock(), imageShape));

            // 3. Train. Augmentation, like Keras's preprocessing layers, changes training batches only:
            //    validation (and later test) images are the originals.
            Transform[] augmentation = augment ? Augmentation.tutorial(options.seed) : new Transform[0];
            ArrayDataset train = data.train().toDataset(manager, options.batchSize, true, augmentation);
            ArrayDataset validation = data.validation().toDataset(manager, options.batchSize, false);
            History history = Training.fit(model, train, validation, epochs, options.batchSize, imageShape);

            // 4. Save the history, its curves and the trained weights
            System.out.println(history);
            Training.save(model, history, augment ? "CIFAR-10 with augmentation" : "CIFAR-10", output);
        }
        return 0;
    }
}
