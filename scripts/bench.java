///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Benchmark: training speed (ms/step, images/s) and peak memory of the tutorial's models and lesson 12's
//SOURCES lib/*.java

/*
 * How fast does training run here? For each tutorial model and lesson 12's, after a warm-up, times
 * training steps on three paths, and three other jobs beside them:
 *   step           the bare step (forward, loss, backward, SGD update) on one batch kept in memory;
 *   epoch          the path a training script takes: shuffled batches from the dataset, scaling,
 *                  loss/accuracy bookkeeping and progress listeners;
 *   epoch+augment  the same with the random augmentation: the tutorial's four transforms, or the
 *                  crops and flips of lesson 12's recipe;
 *                  on these two paths, also the part of a step spent getting the batch (picking its
 *                  images, scaling and augmenting them), so augmentation's own cost shows apart
 *                  from the step's ups and downs;
 *   augment        not a step: the augmentation alone, ms for one batch, to set against a step;
 *   checkpoint     not a step: saving one epoch's checkpoint (weights, history, manifest) in a run
 *                  folder, to set against the seconds of an epoch (at most 20 timed);
 *   predict        not a step: classifying with the model in models/ as the classify script does
 *                  (the tutorial's two models; lesson 12's has none there), ms for one picture
 *                  already read (warm), images/s over PNG files read and classified 32 at a time.
 * and reports each path's peak resident memory (Linux). A machine's speed drifts from minute to
 * minute, so the three training paths and augment take turns, --rounds times (3 unless told), and each is reported
 * by its median: a path is never timed only after another has warmed or cooled the machine.
 * --engine PyTorch measures the other engine:
 * run it once per engine, one after the other, to compare them.
 *
 * Each model trains with batches of its recipe's size (32 for the tutorial's, 250 for lesson 12's)
 * and its optimizer, unless --batch-size says otherwise.
 *
 * Lesson 12's network computes in bfloat16 where the processor multiplies it fast, as its recipe
 * says; --float32 times it in float32.
 *
 * Run:    ./jbang bench                      (all three models, 200 timed steps each path)
 *         ./jbang bench --model cifar10 --path step --steps 100 --threads 2 --csv output/bench.csv
 * To compare with another framework, run the same two models there and this by turns: timings on a
 * shared machine vary from minute to minute, so only figures measured together compare.
 */

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.EasyTrain;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingConfig;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Transform;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import lib.AtomicFiles;
import lib.Augmentation;
import lib.Bfloat16;
import lib.CommonOptions;
import lib.DataSplits;
import lib.History;
import lib.EpochDataset;
import lib.TutorialRun;
import lib.KerasProgress;
import lib.Classifier;
import lib.Launcher;
import lib.NetworkInput;
import lib.RunFolder;
import lib.Models;
import lib.Training;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

@CommonOptions.Uses({"--batch-size", "--data-dir", "--limit", "--seed"})
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Times training steps of the tutorial's two models and lesson 12's and prints ms/step, images/s and peak memory.")
class Bench implements Callable<Integer> {
    @Mixin CommonOptions options;

    @Option(names = "--model", defaultValue = "all", paramLabel = "NAME",
            description = "fashion-mnist, cifar10, cifar10-fast or all (default: ${DEFAULT-VALUE}).")
    String modelName;

    @Option(names = "--path", defaultValue = "all", paramLabel = "NAME",
            description = "step, epoch, epoch+augment, augment, checkpoint, predict or all (default: ${DEFAULT-VALUE}).")
    String pathName;

    @Option(names = "--steps", defaultValue = "200", paramLabel = "N", description = "Timed steps a path (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "20", paramLabel = "N", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "N",
            description = "Times each training path N times, taking turns, and reports the median (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the table as CSV.")
    Path csv;

    @Option(names = "--float32", description = "Lesson 12's network computes in float32, not bfloat16, even where the"
            + " processor multiplies bfloat16 fast (to compare the two).")
    boolean float32;

    public static void main(String[] args) {
        Launcher.run(new Bench(), args);
    }

    @Override
    public Integer call() {
        List<TutorialRun> runs = switch (modelName) {
            case "all" -> List.of(TutorialRun.FASHION_MNIST, TutorialRun.CIFAR10, TutorialRun.CIFAR10_FAST);
            case "fashion-mnist", "cifar10", "cifar10-fast" -> List.of(TutorialRun.named(modelName));
            default -> throw new lib.BadInputException("--model must be fashion-mnist, cifar10, cifar10-fast or all, not '" + modelName + "'");
        };
        List<String> paths = switch (pathName) {
            case "all" -> List.of("step", "epoch", "epoch+augment", "augment", "checkpoint", "predict");
            case "step", "epoch", "epoch+augment", "augment", "checkpoint", "predict" -> List.of(pathName);
            default -> throw new lib.BadInputException("--path must be step, epoch, epoch+augment, augment, checkpoint, predict or all, not '" + pathName + "'");
        };
        if (steps < 1 || warmup < 0 || rounds < 1) {
            throw new lib.BadInputException("--steps and --rounds must be at least 1 and --warmup at least 0");
        }
        Engine.getInstance().setRandomSeed(options.seed);
        StringColumn engine = StringColumn.create("engine");
        StringColumn model = StringColumn.create("model");
        StringColumn path = StringColumn.create("path");
        DoubleColumn msPerStep = DoubleColumn.create("ms_per_step");
        DoubleColumn imagesPerSecond = DoubleColumn.create("images_per_s");
        DoubleColumn batch = DoubleColumn.create("batch_size");
        DoubleColumn batchMs = DoubleColumn.create("getting_batch_ms");
        DoubleColumn peakMemory = DoubleColumn.create("peak_rss_mib");
        System.out.printf("%s, %d warm-up and %d timed steps a path, %s, %s%n", lib.Engines.description(), warmup, steps,
                lib.Terminal.count(rounds, "round"), lib.Terminal.count(lib.Engines.threads(), "thread"));

        for (TutorialRun run : runs) {
            DataSplits data = run.dataset().load(options.dataDir).limit(options.limit());
            batchSize = options.given("--batch-size") ? options.batchSize : run.recipe().batchSize();
            Map<String, List<Double>> times = new LinkedHashMap<>();
            Map<String, List<Double>> gettingBatch = new HashMap<>();
            Map<String, Double> peaks = new HashMap<>();
            for (int round = 1; round <= rounds; round++) {
                for (String route : paths) {
                    boolean once = route.equals("checkpoint") || route.equals("predict");
                    if (once && round > 1) continue;
                    if (route.equals("predict") && !Files.isDirectory(RunFolder.SHIPPED.resolve(run.name()))) {
                        System.out.println(run.name() + ": predict not timed: " + RunFolder.SHIPPED + " holds no trained " + run.name() + " model");
                        continue;
                    }
                    resetPeakMemory();
                    msGettingBatches = Double.NaN;
                    double ms = switch (route) {
                        case "step" -> timeBareStep(run, data);
                        case "epoch" -> timeEpochPath(run, data, new Transform[0]);
                        case "checkpoint" -> timeCheckpoint(run);
                        case "predict" -> timePrediction(run, data);
                        case "augment" -> timeAugmentation(run, data);
                        default -> timeEpochPath(run, data, augmentationOf(run));
                    };
                    times.computeIfAbsent(route, r -> new ArrayList<>()).add(ms);
                    gettingBatch.computeIfAbsent(route, r -> new ArrayList<>()).add(msGettingBatches);
                    peaks.merge(route, peakMemoryMib(), Math::max);
                    String unit = route.equals("checkpoint") ? "checkpoint" : route.equals("predict") ? "picture" : route.equals("augment") ? "batch" : "step";
                    String ofWhich = Double.isNaN(msGettingBatches) ? "" : String.format(", %.2f getting the batch", msGettingBatches);
                    System.out.printf("%-14s %-14s %8.2f ms/%s%s%s%n", run.name(), route, ms, unit, ofWhich, once ? "" : " (round " + round + " of " + rounds + ")");
                }
            }
            for (Map.Entry<String, List<Double>> timed : times.entrySet()) {
                String route = timed.getKey();
                double ms = median(timed.getValue());
                engine.append(lib.Engines.chosen().name());
                model.append(run.name());
                path.append(route);
                batch.append(batchSize);
                msPerStep.append(Math.round(ms * 100) / 100.0);
                double gettingMs = median(gettingBatch.get(route));
                batchMs.append(Double.isNaN(gettingMs) ? Double.NaN : Math.round(gettingMs * 100) / 100.0);
                imagesPerSecond.append(route.equals("checkpoint") ? Double.NaN
                        : route.equals("predict") ? Math.round(filesPerSecond) : Math.round(batchSize * 1000 / ms));
                peakMemory.append(peaks.get(route));
            }
        }

        Table table = Table.create("Training speed", engine, model, path, batch, msPerStep, imagesPerSecond, batchMs, peakMemory);
        System.out.println(table.printAll());
        if (csv != null) {
            AtomicFiles.write(csv, temporary -> table.write().csv(temporary.toFile()));
            System.out.println("Saved " + csv);
        }
        return 0;
    }

    /** The middle value of {@code values} (the mean of the two middle ones for an even count). */
    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** The batch size of the model being timed: its recipe's, unless --batch-size was given. */
    private int batchSize;

    /**
     * The model's own loss and optimizer, as its training script sets them (for lesson 12's, rates
     * falling over one long epoch: the schedule costs nothing to time).
     */
    private TrainingConfig configFor(TutorialRun run, Model model, TrainingListener... listeners) {
        TutorialRun.Recipe recipe = run.recipe();
        return Training.config(model, recipe, recipe.learningRate(), recipe.momentum(), recipe.weightDecay(), batchSize,
                lib.Engines.devices(null), warmup + steps, 1, 0, listeners);
    }

    private Model newModel(TutorialRun run, Shape imageShape) {
        Model model = Models.create(run.network(), run.newNetwork(), imageShape);
        Bfloat16.use(model.getBlock(), run.recipe().bfloat16() && !float32); // lesson 12's, where this processor multiplies it fast
        return model;
    }

    /** Forward, loss, backward and update on one batch that stays in memory: the engine's own speed. */
    private double timeBareStep(TutorialRun run, DataSplits data) {
        Shape imageShape = data.train().imageShape();
        try (Model model = newModel(run, imageShape); Trainer trainer = model.newTrainer(configFor(run, model));
                NDManager manager = NDManager.newBaseManager()) {
            trainer.initialize(Models.batchOf(batchSize, imageShape));
            NDList batch = data.train().firstBatch(manager, batchSize);
            long start = 0;
            for (int i = 0; i < warmup + steps; i++) {
                if (i == warmup) start = System.nanoTime();
                try (NDManager stepManager = manager.newSubManager()) {
                    NDArray images = batch.get(0).duplicate();
                    NDArray labels = batch.get(1).duplicate();
                    images.attach(stepManager);
                    labels.attach(stepManager);
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDList scores = trainer.forward(new NDList(images));
                        NDArray loss = trainer.getLoss().evaluate(new NDList(labels), scores);
                        collector.backward(loss);
                        loss.getFloat(); // waits for the step to finish, as a training loop does
                    }
                    trainer.step();
                }
            }
            return (System.nanoTime() - start) / 1e6 / steps;
        }
    }

    /** Set by {@link #timeEpochPath}: of each timed step, the ms spent getting its batch from the dataset. */
    private double msGettingBatches;

    /** The training scripts' path: dataset iteration, shuffling, scaling, augmentation, listeners. */
    private double timeEpochPath(TutorialRun run, DataSplits data, Transform[] augmentation) {
        Shape imageShape = data.train().imageShape();
        // The bar is drawn as on a terminal, into nothing: its cost counts, its text would clutter the table.
        KerasProgress progress = new KerasProgress(new History(), 1, warmup + steps, true, new PrintStream(OutputStream.nullOutputStream()));
        try (Model model = newModel(run, imageShape); Trainer trainer = model.newTrainer(configFor(run, model, progress));
                NDManager manager = NDManager.newBaseManager()) {
            trainer.initialize(Models.batchOf(batchSize, imageShape));
            EpochDataset train = data.train().shuffled(manager, batchSize, options.seed, augmentation);
            int done = 0;
            long start = System.nanoTime();
            long gettingBatches = 0;
            for (int epoch = 1; done < warmup + steps; epoch++) {
                train.startEpoch(epoch);
                Iterator<Batch> batches = trainer.iterateDataset(train).iterator();
                while (batches.hasNext()) {
                    long asked = System.nanoTime();
                    Batch batch = batches.next(); // the batch is made here: images picked, scaled, augmented
                    if (done == warmup) {
                        start = asked;
                        gettingBatches = 0;
                    }
                    gettingBatches += System.nanoTime() - asked;
                    EasyTrain.trainBatch(trainer, batch);
                    trainer.step();
                    batch.close();
                    if (++done == warmup + steps) break;
                }
            }
            msGettingBatches = gettingBatches / 1e6 / steps;
            return (System.nanoTime() - start) / 1e6 / steps;
        } catch (IOException | ai.djl.translate.TranslateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The run's augmentation; the tutorial's four transforms for a run that has none. */
    private Transform[] augmentationOf(TutorialRun run) {
        return run.augment() ? run.augmentation(options.seed) : Augmentation.tutorial(options.seed);
    }

    /** {@link #augmentationOf} the run, alone, on one batch: the work Java does on each training batch, scaling included. */
    private double timeAugmentation(TutorialRun run, DataSplits data) {
        Transform augmentation = Augmentation.scaledInOnePass(augmentationOf(run));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray batch = data.train().storedImages(manager, batchSize);
            long start = 0;
            for (int i = 0; i < warmup + steps; i++) {
                if (i == warmup) start = System.nanoTime();
                augmentation.transform(batch).close();
            }
            return (System.nanoTime() - start) / 1e6 / steps;
        }
    }

    /** Set by {@link #timePrediction}: pictures read from PNG files and classified, per second. */
    private double filesPerSecond;

    /**
     * Prediction with the course's model: the latency of one picture already in memory (warm), and
     * the rate over PNG files read, prepared and classified one by one, as the classify script does.
     */
    private double timePrediction(TutorialRun run, DataSplits data) {
        int count = Math.min(steps, Math.min(200, data.test().size()));
        Path dir = null;
        try (Classifier classifier = Classifier.of(RunFolder.open(RunFolder.SHIPPED.resolve(run.name())), NetworkInput.Invert.AUTO)) {
            dir = Files.createTempDirectory("bench-predict");
            List<Path> files = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                Path file = dir.resolve(i + ".png");
                javax.imageio.ImageIO.write(data.test().toImage(i), "png", file.toFile());
                files.add(file);
            }
            ai.djl.modality.cv.Image picture = ai.djl.modality.cv.ImageFactory.getInstance().fromImage(data.test().toImage(0));
            for (int i = 0; i < warmup; i++) classifier.classify(picture);
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) classifier.classify(picture);
            double latency = (System.nanoTime() - start) / 1e6 / count;
            for (int pass = 0; pass < 2; pass++) { // the first pass warms up the reading code, the second is timed
                start = System.nanoTime();
                for (int first = 0; first < count; first += 32) { // as classify does: read 32, classify them together
                    List<ai.djl.modality.cv.Image> batch = new java.util.ArrayList<>();
                    for (Path file : files.subList(first, Math.min(count, first + 32))) {
                        batch.add(ai.djl.modality.cv.ImageFactory.getInstance().fromImage(lib.ImageFiles.read(file)));
                    }
                    classifier.classifyAll(batch);
                }
                filesPerSecond = count / ((System.nanoTime() - start) / 1e9);
            }
            return latency;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (dir != null) lib.AtomicFiles.deleteTree(dir);
        }
    }

    /** A run folder's per-epoch checkpoint, as training writes it, into a folder of its own that is removed after. */
    private double timeCheckpoint(TutorialRun run) {
        int timed = Math.min(steps, 20);
        int untimed = Math.min(warmup, 3);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("bench-checkpoint");
            RunFolder folder = RunFolder.newRun(dir.resolve(run.name()), run, options);
            try (Model model = folder.model(run.dataset().imageShape())) {
                History history = new History();
                long start = 0;
                for (int epoch = 1; epoch <= untimed + timed; epoch++) {
                    if (epoch == untimed + 1) start = System.nanoTime();
                    history.add(epoch, 1, 0.5, 1, 0.5, 10);
                    folder.save(model, history, null);
                }
                return (System.nanoTime() - start) / 1e6 / timed;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (dir != null) lib.AtomicFiles.deleteTree(dir);
        }
    }

    /** Linux only: lets the next reading of VmHWM cover just what follows. */
    private static void resetPeakMemory() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            // Elsewhere the peak covers the whole run so far.
        }
    }

    private static double peakMemoryMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Math.round(Long.parseLong(line.replaceAll("\\D", "")) / 1024.0);
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux.
        }
        return Double.NaN;
    }
}
