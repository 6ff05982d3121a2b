///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../scripts/lib/*.java

// Lesson 12's ablation table: for each run folder, its recipe, its last validation accuracy, its
// test accuracy (evaluated now with the looks its recipe takes at each test image) and the minutes
// its epochs took; the whole recipe's run is also scored with two looks (no shifts) and with one.
// Run: ./jbang lessons/examples/Ablation.java OUTPUT-DIR RUN-DIR...
// Writes OUTPUT-DIR/ablation.csv and OUTPUT-DIR/ablation.png

import ai.djl.Model;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lib.AtomicFiles;
import lib.BadInputException;
import lib.Charts;
import lib.Engines;
import lib.Evaluation;
import lib.History;
import lib.LabeledImages;
import lib.RunFolder;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

public class Ablation {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Ablation OUTPUT-DIR RUN-DIR...");
            System.exit(2);
        }
        try {
            table(args);
        } catch (BadInputException e) { // a folder without a run, a damaged history: one line says which
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void table(String[] args) throws Exception {
        Engines.prepareOnce();
        Path output = Path.of(args[0]); // made when the table is written, not before the runs are read
        StringColumn run = StringColumn.create("run");
        DoubleColumn validation = DoubleColumn.create("val_accuracy");
        DoubleColumn test = DoubleColumn.create("test_accuracy");
        DoubleColumn minutes = DoubleColumn.create("minutes");
        LabeledImages testImages = null;
        for (int i = 1; i < args.length; i++) {
            RunFolder.Saved saved = RunFolder.open(Path.of(args[i]));
            if (testImages == null) testImages = saved.run().dataset().load(null).test();
            History history = History.readCsv(saved.dir().resolve("history.csv"));
            double trainingMinutes = java.util.Arrays.stream(history.column("seconds")).sum() / 60;
            List<String> without = saved.manifest().without();
            String name = !saved.run().name().equals("cifar10-fast") ? "tutorial (" + saved.run().name() + ")"
                    : without == null ? "modern recipe" : "without " + String.join(", ", without);
            try (Model model = saved.loadModel()) {
                // The whole recipe is also scored with fewer looks at each test image: the rows of the
                // shifted looks and of the mirrored ones, which need no training run of their own.
                Evaluation.Looks recipeLooks = saved.recipe().looks();
                List<Evaluation.Looks> looks = without != null || recipeLooks.count() == 1 ? List.of(recipeLooks)
                        : List.of(recipeLooks, new Evaluation.Looks(true, false), Evaluation.Looks.ONE);
                for (Evaluation.Looks look : looks) {
                    run.append(look.equals(recipeLooks) ? name : name + ", " + look + " at test");
                    validation.append(history.last("val_accuracy"));
                    test.append(Evaluation.of(model, testImages, 256, look).accuracy());
                    minutes.append(Math.round(trainingMinutes * 10) / 10.0);
                }
            }
        }
        Table table = Table.create("Lesson 12: what each ingredient buys", run, validation, test, minutes);
        System.out.println(table.printAll());
        AtomicFiles.write(output.resolve("ablation.csv"), temporary -> table.write().csv(temporary.toFile()));
        List<String> names = new ArrayList<>(run.asList());
        Charts.saveGrid(List.of(
                Charts.bars("test accuracy", names, test.asList(), "accuracy", "0.000"),
                Charts.bars("minutes of training", names, minutes.asList(), "minutes", "0.0")), 1, 2, output.resolve("ablation.png"));
        System.out.println("Saved " + output.resolve("ablation.csv") + " and " + output.resolve("ablation.png"));
    }
}
