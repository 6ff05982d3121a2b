///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Lesson 10: what did the model get wrong? Confusion matrix, precision and recall per class, mistakes
//SOURCES lib/*.java

/*
 * Lesson 10: look inside a test score: which classes the model confuses, how sure it is when it is
 * wrong, and which test pictures it gets most wrong.
 *
 * Keras:  predictions = model.predict(x_test).argmax(axis=1)
 *         sklearn.metrics.confusion_matrix(y_test, predictions); classification_report(y_test, predictions)
 *
 * Run:    ./jbang inspect                                (CIFAR-10: yours in output/cifar10, else models/cifar10)
 *         ./jbang inspect --model models/fashion-mnist
 * Writes: output/inspect/<model folder's name>/: confusion.csv, per-class.csv, confusion.png,
 *         mistakes.png, top-losses.png
 */

import ai.djl.Model;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import lib.AtomicFiles;
import lib.Charts;
import lib.CommonOptions;
import lib.DataSplits;
import lib.Evaluation;
import lib.LabeledImages;
import lib.Launcher;
import lib.ModelOption;
import lib.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

@CommonOptions.Uses({"--batch-size", "--data-dir", "--limit", "--output", "--show"})
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Shows what a trained model gets wrong on the test set: confusion matrix, per-class scores, mistakes.")
class Inspect implements Callable<Integer> {
    @Mixin CommonOptions options;

    @Mixin ModelOption trained;

    public static void main(String[] args) {
        Launcher.run(new Inspect(), args);
    }

    @Override
    public Integer call() {
        // 1. The model and its test set
        RunFolder.Saved saved = trained.open();
        DataSplits data = saved.run().dataset().load(options.dataDir).limit(options.limit());
        LabeledImages test = data.test();
        List<String> classes = test.classNames();
        Path output = options.output("inspect/" + saved.dir().getFileName());

        // 2. Every test image's answer
        Evaluation.Answers answers;
        try (Model model = saved.loadModel()) {
            answers = Evaluation.of(model, test, options.batchSize, saved.recipe().looks()).answers();
        }

        // 3. The confusion matrix: row = true class, column = predicted class
        int[][] confusion = answers.confusion(classes.size());
        Table matrix = Table.create("Confusion matrix (rows: true class, columns: predicted class)", StringColumn.create("true", classes));
        for (int p = 0; p < classes.size(); p++) {
            int column = p;
            matrix.addColumns(IntColumn.create(classes.get(p), IntStream.range(0, classes.size()).map(t -> confusion[t][column]).toArray()));
        }
        System.out.println(matrix.printAll());

        // 4. Per class: precision (of the pictures called X, how many are X), recall (of the X pictures,
        //    how many were found), F1 (their harmonic mean)
        Table perClass = Evaluation.Answers.precisionAndRecall(confusion, classes);
        System.out.println(perClass.printAll());

        // 5. The pairs most often confused
        System.out.println("Most confused (true -> predicted: images):");
        List<int[]> pairs = new ArrayList<>();
        for (int t = 0; t < classes.size(); t++) for (int p = 0; p < classes.size(); p++) if (t != p) pairs.add(new int[] {t, p, confusion[t][p]});
        pairs.sort(Comparator.comparingInt((int[] pair) -> -pair[2]));
        for (int[] pair : pairs.subList(0, 5)) {
            System.out.printf("  %s -> %s: %d%n", classes.get(pair[0]), classes.get(pair[1]), pair[2]);
        }

        // 6. Files and figures
        AtomicFiles.write(output.resolve("confusion.csv"), temporary -> matrix.write().csv(temporary.toFile()));
        AtomicFiles.write(output.resolve("per-class.csv"), temporary -> perClass.write().csv(temporary.toFile()));
        Charts.saveGrid(List.of(Charts.confusion(confusion, classes, false), Charts.confusion(confusion, classes, true)), 1, 2,
                output.resolve("confusion.png"));
        List<Integer> mistakes = IntStream.range(0, test.size()).filter(i -> answers.predicted()[i] != answers.truth()[i])
                .limit(16).boxed().toList();
        saveGrid(test, answers, mistakes, output.resolve("mistakes.png"));
        List<Integer> topLosses = IntStream.range(0, test.size()).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -answers.loss(i))).limit(16).toList();
        saveGrid(test, answers, topLosses, output.resolve("top-losses.png"));
        System.out.println("Saved confusion.csv, per-class.csv, confusion.png, mistakes.png and top-losses.png in " + output);
        return 0;
    }

    /** 16 test pictures, captioned "true -> predicted (confidence)", green when right, red when wrong. */
    private static void saveGrid(LabeledImages test, Evaluation.Answers answers, List<Integer> indices, Path file) {
        List<BufferedImage> pictures = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        List<Color> colours = new ArrayList<>();
        List<String> classes = test.classNames();
        for (int i : indices) {
            pictures.add(test.toImage(i));
            captions.add(classes.get(answers.truth()[i]) + " -> " + classes.get(answers.predicted()[i])
                    + String.format(" %.2f", answers.confidence()[i]));
            colours.add(answers.truth()[i] == answers.predicted()[i] ? new Color(0, 120, 0) : new Color(190, 0, 0));
        }
        Charts.saveGrid(Charts.imageGrid(pictures, captions, colours, 6), 4, 4, file);
    }
}
