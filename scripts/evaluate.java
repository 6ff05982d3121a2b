///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Lesson 9: evaluate a trained model on the test set: loss, accuracy, and accuracy per class
//SOURCES lib/*.java

/*
 * Lesson 9: how good is the model on images it has never seen?
 *
 * Keras:  test_loss, test_accuracy = model.evaluate(x_test, y_test)
 *
 * Run:    ./jbang evaluate                     (your output/cifar10 if you trained it, else models/cifar10)
 *         ./jbang evaluate --model output/cifar10-augmented
 *         ./jbang evaluate --model models/fashion-mnist   (a model that comes with the course)
 * Writes: output/evaluate/<model folder's name>/evaluation.csv (accuracy per class)
 */

import ai.djl.Model;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import lib.AtomicFiles;
import lib.CommonOptions;
import lib.DataSplits;
import lib.Evaluation;
import lib.Launcher;
import lib.ModelOption;
import lib.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@CommonOptions.Uses({"--batch-size", "--data-dir", "--limit", "--output"})
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluates a saved model on its dataset's test set, like Keras's model.evaluate.")
class Evaluate implements Callable<Integer> {
    @Mixin CommonOptions options;

    @Mixin ModelOption trained;

    public static void main(String[] args) {
        Launcher.run(new Evaluate(), args);
    }

    @Override
    public Integer call() {
        // 1. Load the trained model: the run's manifest says which network, which data and which weights.
        RunFolder.Saved saved = trained.open();
        try (Model model = saved.loadModel()) {

            // 2. Load the test set: 10,000 images the model never trained on.
            DataSplits data = saved.run().dataset().load(options.dataDir).limit(options.limit());

            // 3. Evaluate: one pass over the test set, no training.
            Evaluation.Looks looks = saved.recipe().looks();
            if (looks.count() > 1) System.out.println("Test images with " + looks + " at each (the recipe's), the scores averaged:");
            Evaluation result = Evaluation.of(model, data.test(), options.batchSize, looks);
            System.out.printf("Test loss: %.4f, test accuracy: %.4f%n", result.loss(), result.accuracy());
            System.out.println(result.perClass().printAll());
            Path file = options.output("evaluate/" + saved.dir().getFileName()).resolve("evaluation.csv");
            AtomicFiles.write(file, temporary -> result.perClass().write().csv(temporary.toFile()));
            System.out.println("Saved " + file);
        }
        return 0;
    }
}
