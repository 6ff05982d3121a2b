///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Lesson 11: classify your own pictures with a trained model: top classes and their probabilities
//SOURCES lib/*.java

/*
 * Lesson 11: ask the trained model about pictures it has never seen: your own photos.
 *
 * Keras:  image = keras.utils.load_img("cat.jpg", target_size=(32, 32))
 *         probabilities = model.predict(np.expand_dims(keras.utils.img_to_array(image) / 255, 0))
 *
 * Run:    ./jbang classify my-photos/                 (CIFAR-10: yours in output/cifar10, else models/cifar10)
 *         ./jbang classify shirt.jpg --model models/fashion-mnist --invert auto
 *         ./jbang classify pictures/ --top 5 --csv output/classify/predictions.csv
 * Writes: output/classify/predictions.png (each picture as the network saw it, beside its top 3)
 */

import ai.djl.modality.Classifications;
import ai.djl.modality.Classifications.Classification;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import lib.AtomicFiles;
import lib.BadInputException;
import lib.Charts;
import lib.Classifier;
import lib.CommonOptions;
import lib.ImageFiles;
import lib.Launcher;
import lib.ModelOption;
import lib.NetworkInput;
import lib.RunFolder;
import lib.TutorialRun;
import org.knowm.xchart.internal.chartpart.Chart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;
import tech.tablesaw.io.csv.CsvWriteOptions;

@CommonOptions.Uses({"--output", "--show"})
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Classifies picture files (PNG, JPEG, GIF, BMP) and folders of them with a trained model.")
class Classify implements Callable<Integer> {
    @Mixin CommonOptions options;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Picture files, or folders of pictures.")
    List<Path> paths;

    @Mixin ModelOption trained;

    @Option(names = "--top", paramLabel = "K", defaultValue = "3", description = "Classes to list for each picture (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--invert", paramLabel = "WHEN", defaultValue = "auto",
            description = "Fashion-MNIST only: swap light and dark: auto (when the border is light), on or off (default: ${DEFAULT-VALUE}).")
    String invert;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the table as CSV.")
    Path csv;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "A CSV of file,label (file names without their extension): also count the right answers.")
    Path labels;

    /** Pictures classified together, and pictures drawn in predictions.png. */
    private static final int BATCH = 32, SHOWN = 12;

    public static void main(String[] args) {
        Launcher.run(new Classify(), args);
    }

    @Override
    public Integer call() {
        if (top < 1 || top > 10) throw new BadInputException("--top must be between 1 and 10, got " + top);
        NetworkInput.Invert whenToInvert = switch (invert) {
            case "auto" -> NetworkInput.Invert.AUTO;
            case "on" -> NetworkInput.Invert.ON;
            case "off" -> NetworkInput.Invert.OFF;
            default -> throw new BadInputException("--invert must be auto, on or off, not '" + invert + "'");
        };

        // 1. The model: your own run, or the one that comes with the course.
        RunFolder.Saved run = trained.open();
        if (whenToInvert == NetworkInput.Invert.ON && run.run().dataset() != TutorialRun.Dataset.FASHION_MNIST) {
            System.out.println("Note: --invert is for Fashion-MNIST's models; the " + run.run().name() + " model takes pictures as they are.");
        }

        // 2. The pictures: files as given, folders' pictures by name.
        List<Path> files = ImageFiles.collect(paths);

        // 3. Classify: each picture prepared as the training images were, then the network, then softmax.
        List<Path> classified = new ArrayList<>();
        List<BufferedImage> seen = new ArrayList<>();
        List<Classifications> answers = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (Classifier classifier = Classifier.of(run, whenToInvert)) {
            for (int start = 0; start < files.size(); start += BATCH) { // a batch at a time: quicker than one by one
                List<Image> batch = new ArrayList<>();
                for (Path file : files.subList(start, Math.min(files.size(), start + BATCH))) {
                    BufferedImage picture;
                    try {
                        picture = ImageFiles.read(file);
                    } catch (BadInputException e) {
                        problems.add(e.getMessage()); // the others are still classified
                        continue;
                    }
                    batch.add(ImageFactory.getInstance().fromImage(picture));
                    classified.add(file);
                    if (seen.size() < SHOWN) seen.add(classifier.networkInput(picture));
                }
                if (!batch.isEmpty()) answers.addAll(classifier.classifyAll(batch));
            }
        }

        // 4. The answers: a table, and a figure of each picture beside its most likely classes.
        if (!classified.isEmpty()) {
            Table table = table(classified, answers);
            System.out.println(table.printAll());
            if (csv != null) {
                // Probabilities as 0.0007, not as Java writes small numbers (7.0E-4), with a point in every language.
                NumberColumnFormatter fourPlaces = new NumberColumnFormatter(new DecimalFormat("0.0000", DecimalFormatSymbols.getInstance(Locale.ROOT)));
                for (var column : table.columns()) {
                    if (column instanceof DoubleColumn probabilities) probabilities.setPrintFormatter(fourPlaces);
                }
                AtomicFiles.write(csv, temporary -> table.write().csv(CsvWriteOptions.builder(temporary.toFile()).usePrintFormatters(true).build()));
                System.out.println("Saved " + csv);
            }
            if (labels != null) System.out.println(score(classified, answers));
            Path figure = options.output("classify").resolve("predictions.png");
            Charts.saveGrid(figure(classified, seen, answers), seen.size(), 2, figure);
            System.out.println("Saved " + figure + (classified.size() > SHOWN ? " (the first " + SHOWN + " pictures)" : ""));
        }
        for (String problem : problems) System.err.println("error: " + problem);
        return problems.isEmpty() ? 0 : 2;
    }

    /** How many of the pictures the labels file names got their label as first answer. */
    private String score(List<Path> files, List<Classifications> answers) {
        Table known;
        try {
            known = Table.read().csv(labels.toFile());
        } catch (RuntimeException e) {
            throw new BadInputException(labels, "not a readable CSV of file,label (" + e.getMessage() + ")");
        }
        if (!known.columnNames().containsAll(List.of("file", "label"))) throw new BadInputException(labels, "has no file and label columns");
        java.util.Map<String, String> labelOf = new java.util.HashMap<>();
        for (int row = 0; row < known.rowCount(); row++) labelOf.put(known.getString(row, "file"), known.getString(row, "label"));
        int labelled = 0;
        int right = 0;
        for (int i = 0; i < files.size(); i++) {
            String name = files.get(i).getFileName().toString().replaceFirst("\\.[^.]+$", "");
            String label = labelOf.get(name);
            if (label == null) continue;
            labelled++;
            if (label.equals(answers.get(i).best().getClassName())) right++;
        }
        return String.format("Right on %d of the %d labelled pictures: accuracy %.4f", right, labelled, labelled == 0 ? 0.0 : right / (double) labelled);
    }

    private Table table(List<Path> files, List<Classifications> answers) {
        Table table = Table.create("Predictions", StringColumn.create("file", files.stream().map(Path::toString).toList()));
        for (int k = 0; k < top; k++) {
            StringColumn classes = StringColumn.create("class " + (k + 1));
            DoubleColumn probabilities = DoubleColumn.create("probability " + (k + 1));
            for (Classifications answer : answers) {
                Classification choice = answer.topK(top).get(k);
                classes.append(choice.getClassName());
                probabilities.append(Math.round(choice.getProbability() * 10_000) / 10_000.0);
            }
            table.addColumns(classes, probabilities);
        }
        return table;
    }

    private static List<Chart<?, ?>> figure(List<Path> files, List<BufferedImage> seen, List<Classifications> answers) {
        List<Chart<?, ?>> tiles = new ArrayList<>();
        for (int i = 0; i < seen.size(); i++) {
            int scale = 256 / seen.get(i).getWidth(); // the network's input, enlarged: its pixels stay visible
            tiles.addAll(Charts.imageGrid(List.of(seen.get(i)), List.of(files.get(i).getFileName().toString()), scale));
            List<Classification> best = answers.get(i).topK(3);
            tiles.add(Charts.probabilities(best.stream().map(Classification::getClassName).toList(),
                    best.stream().map(Classification::getProbability).toList(),
                    seen.get(i).getWidth() * scale + 24, seen.get(i).getHeight() * scale + 48));
        }
        return tiles;
    }
}
