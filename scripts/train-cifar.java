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
 * Run:    ./jbang train-cifar                    (25 epochs: 8 minutes on lesson 5's 2 cores, up to 4x that on a laptop)
 *         ./jbang train-cifar --resume           (go on after Ctrl-C, from the last epoch saved)
 *         ./jbang train-cifar --augment          (or ./jbang train-cifar-augmented)
 *         ./jbang train-cifar --epochs 1 --limit 2000   (a quick look, in output/cifar10-quick)
 * Writes: output/cifar10/ (output/cifar10-augmented/ with --augment): after every epoch the weights
 *         (cifar10-cnn-00NN.params), history.csv and manifest.json; at the end accuracy.png and loss.png
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

@Command(name = "train-cifar", mixinStandardHelpOptions = true,
        description = "Trains the tutorial's deeper CNN on CIFAR-10, saving a checkpoint after every epoch.")
class TrainCifar implements Callable<Integer> {
    @Mixin CommonOptions options;
    @Mixin TrainingOptions training;

    @Option(names = "--augment", description = "Flip, rotate, zoom and change the contrast of each training image at random.")
    boolean augment;

    public static void main(String[] args) {
        Launcher.run(new TrainCifar(), args);
    }

    @Override
    public Integer call() {
        TutorialRun run = augment ? TutorialRun.CIFAR10_AUGMENTED : TutorialRun.CIFAR10;

        // 1. The run folder: a new run, or the one --resume continues
        RunFolder folder = RunFolder.forTraining(run, options, training);
        if (folder.isComplete()) return 0;
        Engine.getInstance().setRandomSeed(options.seed);

        // 2. Load the data
        Path source = run.dataset().locate(options.dataDir);
        DataSplits data = run.dataset().load(source).limit(options.limit());
        folder.recordData(source, data);
        Shape imageShape = data.train().imageShape();

        // 3. Build the model: four convolution blocks, then three hidden dense layers (or take it from the checkpoint).
        try (Model model = folder.model(imageShape); NDManager manager = NDManager.newBaseManager()) {
            System.out.println(Models.summary(model.getBlock(), imageShape));

            // 4. Train. Augmentation, like Keras's preprocessing layers, changes training batches only:
            //    validation (and later test) images are the originals. A checkpoint after every epoch.
            Transform[] augmentation = run.augmentation(options.seed);
            EpochDataset train = data.train().shuffled(manager, options.batchSize, options.seed, augmentation);
            ArrayDataset validation = data.validation().inOrder(manager, options.batchSize);
            History history = Training.fit(model, train, validation, options.batchSize, imageShape, folder);

            // 5. The history and its curves
            System.out.println(history);
            folder.drawCurves(history);
        }
        return 0;
    }
}
