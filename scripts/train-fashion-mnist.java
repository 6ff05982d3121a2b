///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Lesson 3: train the CNN on Fashion-MNIST for 20 epochs with a Keras-style progress bar
//SOURCES lib/*.java

/*
 * Lesson 3: train the network.
 *
 * Keras:  model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01),
 *                       loss="sparse_categorical_crossentropy", metrics=["accuracy"])
 *         history = model.fit(x_train, y_train, epochs=20, batch_size=32, validation_data=(x_val, y_val))
 *
 * Run:    ./jbang train-fashion-mnist                       (20 epochs, about 20 minutes on 2 cores)
 *         ./jbang train-fashion-mnist --epochs 1 --limit 2000   (a quick look)
 * Writes: output/fashion-mnist/history.csv, accuracy.png, loss.png, fashion-mnist-cnn-0020.params
 */

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import lib.CommonOptions;
import lib.DataSplits;
import lib.FashionMnist;
import lib.History;
import lib.Launcher;
import lib.Models;
import lib.Training;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "train-fashion-mnist", mixinStandardHelpOptions = true,
        description = "Trains the tutorial's CNN on Fashion-MNIST and saves its history, curves and weights.")
class TrainFashionMnist implements Callable<Integer> {
    @Mixin CommonOptions options;

    public static void main(String[] args) {
        Launcher.run(new TrainFashionMnist(), args);
    }

    @Override
    public Integer call() {
        int epochs = options.epochs(20);
        Path output = options.output("fashion-mnist");
        Engine.getInstance().setRandomSeed(options.seed); // same seed, same weights and same shuffling

        // 1. Load the data
        DataSplits data = FashionMnist.load(options.dataDir).limit(options.limit());
        Shape imageShape = data.train().imageShape();

        // 2. Build the model
        try (Model model = Models.create(Models.FASHION_MNIST, Models.fashionMnistCnn(), imageShape);
                NDManager manager = NDManager.newBaseManager()) {
            System.out.println(Models.summary(model.getBlock(), imageShape));

            // 3. Train: shuffled batches of 32, the last smaller batch included, then validation.
            ArrayDataset train = data.train().toDataset(manager, options.batchSize, true);
            ArrayDataset validation = data.validation().toDataset(manager, options.batchSize, false);
            History history = Training.fit(model, train, validation, epochs, options.batchSize, imageShape);

            // 4. Save the history, its curves and the trained weights
            System.out.println(history);
            Training.save(model, history, "Fashion-MNIST", output);
        }
        return 0;
    }
}
