///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Draw accuracy and loss curves from a training history CSV, or compare several runs side by side
//SOURCES lib/*.java

/*
 * The tutorial's plot_graph(): training against validation accuracy and loss, epoch by epoch.
 *
 * Keras:  plt.plot(history.history["accuracy"]); plt.plot(history.history["val_accuracy"]) ...
 *
 * Run:    ./jbang plot-history output/fashion-mnist/history.csv
 *         ./jbang plot-history output/cifar10/history.csv output/cifar10-augmented/history.csv \
 *             --names "no augmentation,augmentation"
 * Writes: output/plot-history/<the CSV's folder name>/accuracy.png and loss.png for one run;
 *         output/plot-history/<title+title...>/comparison.png for several (into --output DIR when given)
 */

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import lib.BadInputException;
import lib.Charts;
import lib.CommonOptions;
import lib.History;
import lib.Launcher;
import lib.Terminal;
import org.knowm.xchart.XYChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@CommonOptions.Uses({"--output", "--show"})
@Command(name = "plot-history", mixinStandardHelpOptions = true,
        description = "Draws the accuracy and loss curves of one or more history CSV files.")
class PlotHistory implements Callable<Integer>, Launcher.WithoutEngine {
    @Mixin CommonOptions options;

    @Parameters(arity = "1..*", paramLabel = "HISTORY.csv", description = "History files written by a training script.")
    List<Path> files;

    @Option(names = "--names", split = ",", paramLabel = "NAME", description = "A title for each run (default: its folder's name).")
    List<String> names;

    public static void main(String[] args) {
        Launcher.run(new PlotHistory(), args);
    }

    @Override
    public Integer call() {
        List<String> titles = names != null ? names : files.stream().map(PlotHistory::runName).toList();
        if (titles.size() != files.size()) {
            throw new BadInputException("--names gives " + Terminal.count(titles.size(), "name") + " for " + Terminal.count(files.size(), "history file"));
        }

        // 1. Read each history and print it.
        List<History> histories = new ArrayList<>();
        for (Path file : files) {
            if (!Files.exists(file)) {
                throw new BadInputException(file, "no such file: train that run first, or draw one that comes with the course,"
                        + " such as models/cifar10/history.csv");
            }
            History history = History.readCsv(file);
            System.out.println(file + System.lineSeparator() + history);
            histories.add(history);
        }

        // 2. One run: accuracy and loss curves. Several: one column a run, on shared scales.
        //    Into output/, never beside the CSV (that may be the course's models/ or lessons/ folder),
        //    in a folder named after the run, or after all the runs compared, so comparisons keep apart.
        String folder = files.size() == 1 ? runName(files.get(0)) : String.join("+", titles).replaceAll("[^A-Za-z0-9.+-]+", "-");
        Path output = options.output("plot-history/" + folder);
        if (histories.size() == 1) {
            Charts.saveCurves(histories.get(0), titles.get(0), output).forEach(file -> System.out.println("Saved " + file));
        } else {
            List<XYChart> charts = Charts.comparison(histories, titles);
            System.out.println("Saved " + Charts.saveGrid(charts, 2, histories.size(), output.resolve("comparison.png")));
        }
        return 0;
    }

    private static String runName(Path file) {
        Path folder = file.toAbsolutePath().getParent();
        return folder == null ? file.toString() : folder.getFileName().toString();
    }
}
