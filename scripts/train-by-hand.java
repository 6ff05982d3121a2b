///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Lesson 3: the training loop written out: forward, loss, backward, update, batch after batch
//SOURCES lib/*.java

/*
 * Lesson 3: what Keras's fit does, step by step, on Fashion-MNIST: the loop in lib/TrainingLoop.java.
 *
 * PyTorch, for comparison:
 *         for images, labels in loader:
 *             optimizer.zero_grad(); loss = criterion(model(images), labels); loss.backward(); optimizer.step()
 *
 * Run:    ./jbang train-by-hand                   (3 epochs on 10,000 training images)
 *         ./jbang train-by-hand --epochs 1 --limit 2000
 * Writes: nothing: it prints each epoch's mean loss and the validation accuracy
 */

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import java.util.concurrent.Callable;
import lib.CommonOptions;
import lib.DataSplits;
import lib.EpochDataset;
import lib.Evaluation;
import lib.Launcher;
import lib.Models;
import lib.Training;
import lib.TrainingLoop;
import lib.TutorialRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@CommonOptions.Uses({"--batch-size", "--data-dir", "--epochs", "--limit", "--seed"})
@Command(name = "train-by-hand", mixinStandardHelpOptions = true,
        description = "Trains the Fashion-MNIST CNN with the training loop written out, printing each epoch's loss.")
class TrainByHand implements Callable<Integer> {
    @Mixin CommonOptions options;

    public static void main(String[] args) {
        Launcher.run(new TrainByHand(), args);
    }

    @Override
    public Integer call() throws Exception {
        TutorialRun run = TutorialRun.FASHION_MNIST;
        Engine.getInstance().setRandomSeed(options.seed);

        // 1. The data: a quick look by default, 10,000 training images
        DataSplits data = run.dataset().load(options.dataDir).limit(options.given("--limit") ? options.limit() : 10_000);
        Shape imageShape = data.train().imageShape();

        // 2. The model and a trainer: the tutorial's loss and plain SGD
        try (Model model = Models.create(run.network(), run.newNetwork(), imageShape);
                Trainer trainer = model.newTrainer(Training.sgdConfig());
                NDManager manager = NDManager.newBaseManager()) {
            trainer.initialize(Models.batchOf(options.batchSize, imageShape));
            EpochDataset train = data.train().shuffled(manager, options.batchSize, options.seed);

            // 3. Epoch after epoch: the loop, then a look at the validation images
            for (int epoch = 1; epoch <= options.epochs(3); epoch++) {
                train.startEpoch(epoch);
                double loss = TrainingLoop.trainOneEpoch(trainer, train);
                double accuracy = Evaluation.of(model, data.validation(), options.batchSize).accuracy();
                System.out.printf("Epoch %d: mean training loss %.4f, validation accuracy %.4f%n", epoch, loss, accuracy);
            }
        }
        return 0;
    }
}
