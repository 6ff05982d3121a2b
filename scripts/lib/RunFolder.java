package lib;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A run's folder: its weights, {@code history.csv}, {@code manifest.json} and curves. After every
 * epoch it holds a complete checkpoint, written so that a crash at any instant leaves the previous
 * epoch's or the new one's, never a mix: the new weights go to a file of their own, then the history,
 * then the manifest (the moment the new epoch counts), and only then is the old weights file removed.
 * A new run never lands in a folder holding another ({@code --overwrite} replaces it,
 * {@code --resume} continues it), and {@code evaluate} loads exactly the weights the manifest names.
 */
public final class RunFolder implements Training.Checkpoints {
    public static final String HISTORY = "history.csv";

    private final Path dir;
    private final TutorialRun run;
    private final History soFar;
    private final int epochs;
    private Manifest manifest;
    private volatile int epochsDone;
    private volatile boolean training;
    private boolean reportsStops;

    private RunFolder(Path dir, TutorialRun run, Manifest manifest, History soFar) {
        this.dir = dir;
        this.run = run;
        this.manifest = manifest;
        this.soFar = soFar;
        this.epochs = manifest.epochsPlanned();
        this.epochsDone = manifest.epochsDone();
    }

    public Path dir() {
        return dir;
    }

    /**
     * The folder for training {@code run}: {@code --output}, else {@code output/<run>} (a quick look
     * with {@code --limit} gets {@code output/<run>-quick}). A new run needs an empty or new folder
     * (or {@code --overwrite}); {@code --resume} takes the seed, batch size and limit of the
     * checkpoint into {@code options} and refuses ones given that contradict it.
     */
    public static RunFolder forTraining(TutorialRun run, CommonOptions options, TrainingOptions training) {
        return forTraining(run, options, training, null);
    }

    /** The same for a run with the ingredients {@code without} (--without; null: none) taken out of its recipe. */
    public static RunFolder forTraining(TutorialRun run, CommonOptions options, TrainingOptions training, List<String> without) {
        if (training.resume && training.overwrite) throw new BadInputException("--resume and --overwrite contradict each other: pick one");
        Path dir = options.output != null ? options.output : run.defaultOutput(options.limit != null);
        TutorialRun.Recipe recipe = run.recipe().without(without); // checked before anything else happens
        float learningRate = training.learningRate(recipe.learningRate());
        float weightDecay = training.weightDecay(recipe.weightDecay());
        float dropout = training.dropout();
        if (dropout > 0 && !Models.takesDropout(run.network())) {
            throw new BadInputException("--dropout: " + run.command() + " trains a network without Dropout layers; the tutorial's CNNs"
                    + " (train-fashion-mnist, train-cifar) have them");
        }
        float momentum = training.momentum(recipe.momentum());
        Device[] devices = Engines.devices(training.gpus);
        if (!training.resume && !options.given("--batch-size")) options.batchSize = recipe.batchSize();
        RunFolder folder = training.resume ? resume(dir, run, options, training, without)
                : start(dir, run, options, training.overwrite, learningRate, weightDecay, dropout, momentum, without);
        folder.reportsStops = true;
        folder.devices = devices;
        if (training.gpus != null) System.out.println("Training on " + Engines.describe(devices) + ": each batch split between them");
        return folder;
    }

    /** A new run of {@code run} in {@code dir}, which must hold no run: for programs that train outside the scripts (bench). */
    public static RunFolder newRun(Path dir, TutorialRun run, CommonOptions options) {
        return start(dir, run, options, false, Training.LEARNING_RATE, 0, 0, 0, null);
    }

    private static RunFolder start(Path dir, TutorialRun run, CommonOptions options, boolean overwrite, float learningRate,
            float weightDecay, float dropout, float momentum, List<String> without) {
        // Other files (the sample grids of lessons 1 and 4, your own notes) may share the folder and stay.
        List<Path> runFiles = contents(dir).stream().filter(RunFolder::writtenByARun).toList();
        boolean holdsRun = runFiles.stream().anyMatch(path -> !isTemporary(path.getFileName().toString()));
        if (holdsRun && !overwrite) {
            throw new BadInputException(dir, "already holds a run; add --resume to continue it, --overwrite to replace it, or choose another --output");
        }
        deleteAll(runFiles); // with --overwrite, the old run; always, the leftovers of an interrupted write
        requireWritable(dir);
        Manifest manifest = new Manifest(Manifest.FORMAT, run.name(), run.network(), 0, options.epochs(run.epochs()),
                options.seed, options.batchSize, Engines.threads(), options.limit, run.augment(), learningRate, weightDecay, dropout, momentum,
                without == null || without.isEmpty() ? null : List.copyOf(without), null, null, null, null, null, null, versions(), null);
        return new RunFolder(dir, run, manifest, new History());
    }

    private static RunFolder resume(Path dir, TutorialRun run, CommonOptions options, TrainingOptions training, List<String> without) {
        if (!Files.isDirectory(dir)) throw new BadInputException(dir, "no such folder: nothing to resume; start a new run without --resume");
        Manifest manifest = Manifest.read(dir);
        if (!manifest.run().equals(run.name()) || !manifest.network().equals(run.network())) {
            throw new BadInputException(dir, "holds a " + manifest.run() + " run (" + manifest.network() + "), not " + run.name()
                    + "; resume it with its own script, or choose another --output");
        }
        refuseIfGiven(options, "--seed", manifest.seed(), options.seed);
        refuseIfGiven(options, "--batch-size", manifest.batchSize(), options.batchSize);
        if (options.given("--limit") && !options.limit.equals(manifest.limit())) {
            throw contradiction("--limit " + options.limit, "limit " + (manifest.limit() == null ? "none" : manifest.limit()));
        }
        if (training.learningRate != null && training.learningRate != manifest.learningRateOrDefault()) {
            throw contradiction("--lr " + training.learningRate, "learning rate " + manifest.learningRateOrDefault());
        }
        if (training.weightDecay != null && training.weightDecay != manifest.weightDecayOrDefault()) {
            throw contradiction("--weight-decay " + training.weightDecay, "weight decay " + manifest.weightDecayOrDefault());
        }
        if (training.momentum != null && training.momentum != manifest.momentumOrDefault()) {
            throw contradiction("--momentum " + training.momentum, "momentum " + manifest.momentumOrDefault());
        }
        if (training.dropout != null && training.dropout != manifest.dropoutOrDefault()) {
            throw contradiction("--dropout " + training.dropout, "dropout " + manifest.dropoutOrDefault());
        }
        List<String> savedWithout = manifest.without() == null ? List.of() : manifest.without();
        if (without != null && !without.isEmpty() && !new java.util.HashSet<>(without).equals(new java.util.HashSet<>(savedWithout))) {
            throw contradiction("--without " + String.join(",", without), "without " + (savedWithout.isEmpty() ? "nothing" : String.join(",", savedWithout)));
        }
        options.seed = manifest.seed();
        options.batchSize = manifest.batchSize();
        options.limit = manifest.limit();
        int epochs = options.given("--epochs") ? options.epochs(run.epochs()) : manifest.epochsPlanned();
        if (epochs < manifest.epochsDone()) {
            throw new BadInputException(dir, "the run has done " + manifest.epochsDone() + " epochs already, more than --epochs " + epochs);
        }
        requireIntact(dir, manifest);
        History history = readHistory(dir, manifest);
        removeLeftovers(dir, manifest);
        requireWritable(dir);
        RunFolder folder = new RunFolder(dir, run, manifest.withProgress(manifest.epochsDone(), epochs, manifest.weights(),
                manifest.weightsSha256(), manifest.updated()), history);
        if (folder.isComplete()) {
            System.out.println("The run in " + dir + " is finished: " + manifest.epochsDone() + " of " + epochs
                    + " epochs done. Add --epochs N to train it further.");
            // Stopped after its last checkpoint but before its curves: draw them now.
            if (!Files.isRegularFile(dir.resolve("accuracy.png")) || !Files.isRegularFile(dir.resolve("loss.png"))) {
                folder.drawCurves(history);
            }
        } else {
            System.out.println("Resuming the run in " + dir + " after epoch " + manifest.epochsDone() + " of " + epochs + ".");
            if (Engines.threads() != manifest.threads()) {
                System.out.println("Note: this run was trained with " + Terminal.count(manifest.threads(), "thread") + " and goes on with " + Engines.threads()
                        + " (--threads): the weights will differ in the last digits from a run that never stopped.");
            }
            String engineBefore = manifest.versions() == null ? null : manifest.versions().get("engine");
            if (engineBefore != null && !engineBefore.startsWith(Engines.chosen().name() + " ")) {
                System.out.println("Note: this run was trained on " + engineBefore + " and goes on with " + Engines.description()
                        + ": engines round differently and draw their own random numbers (Dropout's), so the rest of the run differs"
                        + " slightly from one that never stopped.");
            }
        }
        return folder;
    }

    private static void refuseIfGiven(CommonOptions options, String option, int saved, int given) {
        if (options.given(option) && saved != given) throw contradiction(option + " " + given, option.substring(2) + " " + saved);
    }

    private static BadInputException contradiction(String given, String saved) {
        return new BadInputException(given + " contradicts the checkpoint, which was trained with " + saved
                + "; leave the option out to resume, or start a new run with --overwrite or another --output");
    }

    /** Whether every planned epoch is done: a finished run has nothing to resume. */
    public boolean isComplete() {
        return epochsDone >= epochs;
    }

    /** Records which data the run learns from; a resumed run must learn from the same. */
    public void recordData(Path source, DataSplits data) {
        String checksum = TutorialRun.checksum(data);
        if (manifest.dataChecksum() != null && !manifest.dataChecksum().equals(checksum)) {
            throw new BadInputException(source, "is not the data this run was trained on (" + manifest.dataSource()
                    + "); pass that data with --data-dir, or start a new run");
        }
        manifest = manifest.withData(source.toAbsolutePath().toString(), checksum);
    }

    /**
     * The model to train: the run's network with Keras's initial weights for a new run, the
     * checkpoint's weights for a resumed one. From here until the last epoch, Ctrl-C says where the
     * checkpoint is and how to resume it.
     */
    public Model model(Shape imageShape) {
        Model model = epochsDone == 0 ? Models.create(run.network(), run.newNetwork(manifest.dropoutOrDefault()), imageShape)
                : loadModel(dir, manifest);
        if (reportsStops && !training) {
            training = true;
            Runtime.getRuntime().addShutdownHook(new Thread(this::reportIfStopped));
        }
        return model;
    }

    /**
     * The same for a network that starts from the data: a new run of lesson 12's network gets its
     * whitening layer from {@code train}'s images ({@link Models#startWhitened}), and computes in
     * bfloat16 when the recipe asks and the processor multiplies it fast ({@link Bfloat16}).
     */
    public Model model(LabeledImages train) {
        Model model = model(train.imageShape());
        if (epochsDone == 0 && run.network().equals(Models.CIFAR10_WHITENED)) {
            Models.startWhitened(model.getBlock(), train, recipe().whitening());
        }
        if (recipe().bfloat16() && !Bfloat16.use(model.getBlock(), true)) {
            System.out.println("Note: computing in float32, not bfloat16, so each epoch takes about 60% longer: "
                    + (Engines.chosen() == Engines.Name.MXNet ? "this processor has no AVX-512 BF16" : "the course uses bfloat16 on MXNet only") + ".");
        }
        return model;
    }

    @Override
    public History soFar() {
        return soFar;
    }

    @Override
    public int epochs() {
        return epochs;
    }

    @Override
    public float learningRate() {
        return manifest.learningRateOrDefault();
    }

    @Override
    public float weightDecay() {
        return manifest.weightDecayOrDefault();
    }

    @Override
    public float momentum() {
        return manifest.momentumOrDefault();
    }

    @Override
    public TutorialRun.Recipe recipe() {
        return manifest.recipe(run);
    }

    @Override
    public NDList velocities(NDManager manager) {
        if (epochsDone == 0 || manifest.velocities() == null) return null;
        Path file = dir.resolve(manifest.velocities());
        try {
            return NDList.decode(manager, Files.readAllBytes(file));
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(file, "the saved velocities cannot be read (" + e.getMessage() + ")");
        }
    }

    private Device[] devices = Engines.devices(null);

    @Override
    public Device[] devices() {
        return devices;
    }

    /** The checkpoint after an epoch: weights, history, then the manifest that makes them count. */
    @Override
    public void save(Model model, History history, NDList velocities) {
        int epoch = history.epochs();
        String weights = String.format("%s-%04d.params", run.network(), epoch);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + dir + ": " + e.getMessage(), e);
        }
        model.setProperty("Epoch", String.valueOf(epoch));
        saveWeights(model, dir.resolve(weights));
        if (velocities != null) {
            // Momentum's velocities belong to the checkpoint as much as the weights: a run resumed without
            // them would take different steps from one that never stopped.
            String file = String.format("%s-%04d.velocities", run.network(), epoch);
            AtomicFiles.write(dir.resolve(file), temporary -> Files.write(temporary, velocities.encode()));
            velocities.close();
            manifest = manifest.withVelocities(file, sha256(dir.resolve(file)));
        }
        history.writeCsv(dir.resolve(HISTORY));
        manifest = manifest.withProgress(epoch, epochs, weights, sha256(dir.resolve(weights)),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()).withRuntime(Engines.threads(), versions());
        manifest.write(dir);
        epochsDone = epoch;
        removeLeftovers(dir, manifest);
    }

    /** The accuracy and loss curves, drawn from the history; a chart that fails costs a warning, not the run. */
    public void drawCurves(History history) {
        try {
            Charts.saveCurves(history, run.title(), dir);
            System.out.println("Saved " + manifest.weights() + ", " + HISTORY + ", " + Manifest.FILE + ", accuracy.png and loss.png in " + dir);
        } catch (RuntimeException e) {
            System.out.println("Saved " + manifest.weights() + ", " + HISTORY + " and " + Manifest.FILE + " in " + dir);
            System.err.println("warning: the curves could not be drawn (" + e.getMessage() + ")");
        }
    }

    private void reportIfStopped() {
        if (!training || isComplete()) return;
        String folder = dir.toString();
        System.out.flush();
        if (epochsDone == 0) {
            System.err.println("\nStopped before the first epoch ended: nothing was saved in " + folder + ".");
        } else {
            System.err.println("\nStopped after epoch " + epochsDone + " of " + epochs + ": the checkpoint in " + folder
                    + " holds it. Resume with: ./jbang " + run.command() + " --resume --output " + folder + Engines.chosenOptions());
        }
    }

    /** A saved run, as {@code evaluate} and the other scripts that use a trained model see it. */
    public record Saved(Path dir, Manifest manifest, TutorialRun run) {
        public Model loadModel() {
            return RunFolder.loadModel(dir, manifest);
        }

        /** How the run was trained: its recipe, less what --without took out. */
        public TutorialRun.Recipe recipe() {
            return manifest.recipe(run);
        }
    }

    /** The run in {@code dir}, its manifest and weights checked; bad input if anything does not fit. */
    public static Saved open(Path dir) {
        if (!Files.isDirectory(dir)) throw new BadInputException(dir, "no such folder; train a model first, or pass --model DIR");
        Manifest manifest = Manifest.read(dir);
        TutorialRun run = TutorialRun.named(manifest.run());
        if (run == null || !run.network().equals(manifest.network())) {
            throw new BadInputException(dir.resolve(Manifest.FILE), "names a run (" + manifest.run() + ", " + manifest.network() + ") that these scripts do not know");
        }
        requireIntact(dir, manifest);
        return new Saved(dir, manifest, run);
    }

    /** Where the models trained for the course are kept, one run folder each (models/cifar10, ...). */
    public static final Path SHIPPED = Path.of("models");

    /**
     * The run a script that uses a trained model works with: {@code --model} when given; else your
     * own {@code output/<run>} when it holds a run; else the model shipped with the course in
     * {@code models/<run>}. Says which one it took.
     */
    public static Saved openForUse(Path modelOption, TutorialRun run) {
        Path dir = modelOption;
        String whose = "";
        if (dir == null) {
            Path own = Path.of("output", run.name());
            boolean yours = Files.isRegularFile(own.resolve(Manifest.FILE));
            dir = yours ? own : SHIPPED.resolve(run.name());
            whose = yours ? " (your own run)" : " (the model that comes with the course; ./jbang " + run.command()
                    + " trains your own into output/" + run.name() + ")";
        }
        Saved saved = open(dir);
        System.out.printf("Using %s from %s%s: the %s run after %d of %d epochs%n", saved.manifest().weights(), dir, whose,
                saved.run().name(), saved.manifest().epochsDone(), saved.manifest().epochsPlanned());
        return saved;
    }

    private static Model loadModel(Path dir, Manifest manifest) {
        requireDjlFormat(dir.resolve(manifest.weights()));
        Model model = Model.newInstance(manifest.network());
        model.setBlock(Models.network(manifest.network(), manifest.dropoutOrDefault()));
        try {
            model.load(dir, manifest.network(), Map.of("epoch", String.valueOf(manifest.epochsDone())));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new BadInputException(dir.resolve(manifest.weights()), "the saved " + manifest.network() + " weights cannot be loaded (" + e.getMessage() + ")");
        }
        return model;
    }

    /**
     * DJL writes its weights files with the header "DJL@". PyTorch's engine does not look for it: given
     * another file it would leave the network's random starting weights in place without a word.
     */
    private static void requireDjlFormat(Path weights) {
        byte[] header = new byte[4];
        try (InputStream in = Files.newInputStream(weights)) {
            if (in.readNBytes(header, 0, 4) == 4 && new String(header, java.nio.charset.StandardCharsets.US_ASCII).equals("DJL@")) return;
        } catch (IOException e) {
            throw new BadInputException(weights, "cannot be read (" + e.getMessage() + ")");
        }
        throw new BadInputException(weights, "the saved weights cannot be loaded: not a DJL weights file (no \"DJL@\" header)");
    }

    /** The weights file the manifest names exists and is the one it describes, byte for byte. */
    private static void requireIntact(Path dir, Manifest manifest) {
        Path weights = dir.resolve(manifest.weights());
        String expected = String.format("%s-%04d.params", manifest.network(), manifest.epochsDone());
        if (!manifest.weights().equals(expected)) {
            throw new BadInputException(dir.resolve(Manifest.FILE), "names weights " + manifest.weights() + " for epoch " + manifest.epochsDone() + ", expected " + expected);
        }
        if (!Files.isRegularFile(weights)) throw new BadInputException(weights, "missing: the checkpoint is incomplete");
        if (!sha256(weights).equals(manifest.weightsSha256())) {
            throw new BadInputException(weights, "corrupt or truncated: its SHA-256 is not the one the manifest recorded");
        }
        if (manifest.momentumOrDefault() != 0) {
            if (manifest.velocities() == null) throw new BadInputException(dir.resolve(Manifest.FILE), "a run with momentum names no velocities file");
            Path velocities = dir.resolve(manifest.velocities());
            if (!Files.isRegularFile(velocities)) throw new BadInputException(velocities, "missing: the checkpoint is incomplete");
            if (!sha256(velocities).equals(manifest.velocitiesSha256())) {
                throw new BadInputException(velocities, "corrupt or truncated: its SHA-256 is not the one the manifest recorded");
            }
        }
    }

    private static History readHistory(Path dir, Manifest manifest) {
        History history = History.readCsv(dir.resolve(HISTORY));
        if (history.epochs() < manifest.epochsDone()) {
            throw new BadInputException(dir.resolve(HISTORY), "has " + history.epochs() + " epochs, the manifest " + manifest.epochsDone());
        }
        // A crash between writing the history and the manifest leaves one row more than the checkpoint holds.
        return history.first(manifest.epochsDone());
    }

    /** Weights files of other epochs and the temporary files of an interrupted write (hidden, named after their target). */
    private static void removeLeftovers(Path dir, Manifest manifest) {
        for (Path path : contents(dir)) {
            String name = path.getFileName().toString();
            boolean otherWeights = name.endsWith(".params") && !name.equals(manifest.weights());
            boolean otherVelocities = name.endsWith(".velocities") && !name.equals(manifest.velocities());
            if (otherWeights || otherVelocities || isTemporary(name)) deleteAll(List.of(path));
        }
    }

    private static void saveWeights(Model model, Path target) {
        Path staging = null;
        try {
            staging = Files.createTempDirectory(target.getParent(), ".weights");
            model.save(staging, model.getName());
            Files.move(staging.resolve(target.getFileName()), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the weights in " + target.getParent() + ": " + e.getMessage(), e);
        } finally {
            if (staging != null) deleteAll(List.of(staging));
        }
    }

    /** The files a run writes (weights, history, manifest, curves, evaluation) and half-written ones. */
    private static boolean writtenByARun(Path path) {
        String name = path.getFileName().toString();
        return isTemporary(name) || name.endsWith(".params") || name.endsWith(".velocities") || RUN_FILES.contains(name);
    }

    /** {@link AtomicFiles}' hidden ".NAME.*.part*" files and the weights' staging folders. */
    private static boolean isTemporary(String name) {
        return name.startsWith(".") && (name.contains(".part") || name.startsWith(".weights"));
    }

    private static final List<String> RUN_FILES = List.of(Manifest.FILE, HISTORY, "accuracy.png", "loss.png", "evaluation.csv");

    /** Creates {@code dir} and a file in it to be sure a checkpoint can be written, and leaves no trace of a new folder. */
    private static void requireWritable(Path dir) {
        try {
            Path created = Files.exists(dir) ? null : dir.toAbsolutePath();
            while (created != null && created.getParent() != null && !Files.exists(created.getParent())) created = created.getParent();
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".probe", ".part"));
            if (created != null) deleteAll(List.of(created)); // made again at the first checkpoint
        } catch (IOException | SecurityException e) {
            throw new BadInputException(dir, "cannot be written (" + e.getClass().getSimpleName() + ": " + e.getMessage() + "); choose another --output");
        }
    }

    private static List<Path> contents(Path dir) {
        if (!Files.isDirectory(dir)) {
            if (Files.exists(dir)) throw new BadInputException(dir, "is a file, not a folder; choose another --output");
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new BadInputException(dir, "cannot be read (" + e.getMessage() + ")");
        }
    }

    private static void deleteAll(List<Path> paths) {
        paths.forEach(AtomicFiles::deleteTree);
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new BadInputException(file, "cannot be read (" + e.getMessage() + ")");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> versions() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("djl", Engine.getDjlVersion());
        versions.put("engine", Engines.description());
        versions.put("java", System.getProperty("java.version"));
        versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return versions;
    }
}
