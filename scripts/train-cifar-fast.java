///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Lesson 12: beyond the tutorial: a whitened CNN trained the modern way on CIFAR-10
//SOURCES lib/*.java

/*
 * Lesson 12: the same 45,000 CIFAR-10 training images as lesson 5, a different network and a
 * different way to train it, after Keller Jordan's airbench: a first layer that whitens the pixels,
 * six convolutions with batch normalisation and GELU, batches of 250, the filters trained by Muon
 * and the rest by SGD with Nesterov momentum, every rate falling to zero by the last step, label
 * smoothing, random crops and flips that alternate epoch by epoch; on a processor that multiplies
 * bfloat16 in hardware (AVX-512 BF16) the network computes in it, half the bits of float32, and
 * trains nine epochs in the time six took. evaluate then sees each test image six times: as it is
 * and shifted a pixel either way, each also mirrored.
 *
 * Run:    ./jbang train-cifar-fast                        (the recipe as lesson 12 gives it)
 *         ./jbang train-cifar-fast --without muon         (an ablation: the recipe less one ingredient)
 *         ./jbang train-cifar-fast --resume               (go on after Ctrl-C, from the last epoch saved)
 *         ./jbang train-cifar-fast --epochs 1 --limit 2000   (a quick look, in output/cifar10-fast-quick)
 * Writes: output/cifar10-fast/: after every epoch the weights (cifar10-whitened-000N.params), momentum's
 *         velocities, history.csv and manifest.json; at the end accuracy.png and loss.png
 */

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import lib.CommonOptions;
import lib.DataSplits;
import lib.EpochDataset;
import lib.History;
import lib.LabeledImages;
import lib.Launcher;
import lib.Models;
import lib.RunFolder;
import lib.Training;
import lib.TrainingOptions;
import lib.TutorialRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train-cifar-fast", mixinStandardHelpOptions = true,
        description = "Trains lesson 12's whitened network on CIFAR-10 with the modern recipe, saving a checkpoint after every epoch.")
class TrainCifarFast implements Callable<Integer> {
    @Mixin CommonOptions options;
    @Mixin TrainingOptions training;

    @Option(names = "--without", paramLabel = "INGREDIENT", split = ",",
            description = "Leave ingredients out of the recipe, to see what each buys: whitening, muon, label-smoothing,"
                    + " augmentation, alternating-flip, flip-at-test, shift-at-test, bfloat16.")
    List<String> without;

    public static void main(String[] args) {
        Launcher.run(new TrainCifarFast(), args);
    }

    @Override
    public Integer call() {
        TutorialRun run = TutorialRun.CIFAR10_FAST;

        // 1. The run folder: a new run, or the one --resume continues
        RunFolder folder = RunFolder.forTraining(run, options, training, without);
        if (folder.isComplete()) return 0;
        Engine.getInstance().setRandomSeed(options.seed);
        TutorialRun.Recipe recipe = folder.recipe();

        // 2. Load the data: the tutorial's split, 45,000 images to train on and 5,000 to validate
        Path source = run.dataset().locate(options.dataDir);
        DataSplits data = run.dataset().load(source).limit(options.limit());
        folder.recordData(source, data);
        Shape imageShape = data.train().imageShape();

        // 3. Build the model: a whitening layer set from the training images, six convolutions with batch normalisation
        //    (computing in bfloat16 where the processor multiplies it fast)
        try (Model model = folder.model(data.train()); NDManager manager = NDManager.newBaseManager()) {
            System.out.println(Models.summary(model.getBlock(), imageShape));

            // 4. Train: the recipe's batches, crops and alternating flips; Muon and Nesterov SGD; label smoothing
            // Alternating flips start from a copy of the training images with half of them mirrored.
            LabeledImages images = recipe.augmented() == TutorialRun.Augmented.CROP_AND_ALTERNATING_FLIP
                    ? data.train().halfMirrored(options.seed) : data.train();
            EpochDataset train = images.shuffled(manager, options.batchSize, options.seed,
                    TutorialRun.augmentation(recipe, options.seed));
            ArrayDataset validation = data.validation().inOrder(manager, options.batchSize);
            History history = Training.fit(model, train, validation, options.batchSize, imageShape, folder);

            // 5. The history and its curves (evaluate scores the test images, six looks at each)
            System.out.println(history);
            folder.drawCurves(history);
        }
        return 0;
    }
}
