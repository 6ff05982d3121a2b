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
 * Run:    ./jbang train-fashion-mnist                       (20 epochs: 4 minutes on lesson 3's 2 cores, up to 4x that on a laptop)
 *         ./jbang train-fashion-mnist --resume              (go on after Ctrl-C, from the last epoch saved)
 *         ./jbang train-fashion-mnist --epochs 1 --limit 2000   (a quick look, in output/fashion-mnist-quick)
 *         ./jbang train-fashion-mnist --dense         (a network without convolutions, in output/fashion-mnist-dense)
 * Writes: output/fashion-mnist/: after every epoch the weights (fashion-mnist-cnn-00NN.params),
 *         history.csv and manifest.json; at the end accuracy.png and loss.png
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
import lib.EpochDataset;
import lib.History;
import lib.Launcher;
import lib.Models;
import lib.RunFolder;
import lib.Training;
import lib.TrainingOptions;
import lib.TutorialRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train-fashion-mnist", mixinStandardHelpOptions = true,
        description = "Trains the tutorial's CNN on Fashion-MNIST, saving a checkpoint after every epoch.")
class TrainFashionMnist implements Callable<Integer> {
    @Mixin CommonOptions options;
    @Mixin TrainingOptions training;

    @Option(names = "--dense", description = "Train a fully connected network instead of the CNN, for comparison.")
    boolean dense;

    public static void main(String[] args) {
        Launcher.run(new TrainFashionMnist(), args);
    }

    @Override
    public Integer call() {
        TutorialRun run = dense ? TutorialRun.FASHION_MNIST_DENSE : TutorialRun.FASHION_MNIST;

        // 1. The run folder: a new run, or the one --resume continues
        RunFolder folder = RunFolder.forTraining(run, options, training);
        if (folder.isComplete()) return 0;
        Engine.getInstance().setRandomSeed(options.seed); // same seed, same weights and same shuffling

        // 2. Load the data
        Path source = run.dataset().locate(options.dataDir);
        DataSplits data = run.dataset().load(source).limit(options.limit());
        folder.recordData(source, data);
        Shape imageShape = data.train().imageShape();

        // 3. Build the model (or take it from the checkpoint)
        try (Model model = folder.model(imageShape); NDManager manager = NDManager.newBaseManager()) {
            System.out.println(Models.summary(model.getBlock(), imageShape));

            // 4. Train: shuffled batches of 32, the last smaller batch included, then validation;
            //    a checkpoint in the run folder after every epoch.
            EpochDataset train = data.train().shuffled(manager, options.batchSize, options.seed);
            ArrayDataset validation = data.validation().inOrder(manager, options.batchSize);
            History history = Training.fit(model, train, validation, options.batchSize, imageShape, folder);

            // 5. The history and its curves
            System.out.println(history);
            folder.drawCurves(history);
        }
        return 0;
    }
}
