package lib;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a run folder holds, in {@code manifest.json}: which run, how far it got, the settings that
 * made it, the data it learnt from and the weights file of its last complete epoch. The manifest is
 * written last at each checkpoint, so it always names a complete set of files.
 */
public record Manifest(int format, String run, String network, int epochsDone, int epochsPlanned,
        int seed, int batchSize, int threads, Integer limit, boolean augment, Float learningRate, Float weightDecay, Float dropout,
        Float momentum, List<String> without, String dataSource, String dataChecksum, String weights, String weightsSha256, String velocities,
        String velocitiesSha256, Map<String, String> versions, String updated) {

    public static final String FILE = "manifest.json";
    public static final int FORMAT = 1;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

    public boolean finished() {
        return epochsDone >= epochsPlanned;
    }

    public Manifest withProgress(int epochsDone, int epochsPlanned, String weights, String weightsSha256, String updated) {
        return new Manifest(format, run, network, epochsDone, epochsPlanned, seed, batchSize, threads, limit, augment,
                learningRate, weightDecay, dropout, momentum, without, dataSource, dataChecksum, weights, weightsSha256, velocities,
                velocitiesSha256, versions, updated);
    }

    /** The learning rate the run trains with (manifests that predate the option: the tutorial's). */
    public float learningRateOrDefault() {
        return learningRate == null ? Training.LEARNING_RATE : learningRate;
    }

    /** Weight decay and dropout (manifests that predate the options: none). */
    public float weightDecayOrDefault() {
        return weightDecay == null ? 0 : weightDecay;
    }

    public float dropoutOrDefault() {
        return dropout == null ? 0 : dropout;
    }

    /** Momentum (manifests that predate the option: none, plain SGD). */
    public float momentumOrDefault() {
        return momentum == null ? 0 : momentum;
    }

    /** The run's recipe: its description's, less the ingredients --without took out. */
    public TutorialRun.Recipe recipe(TutorialRun run) {
        return run.recipe().without(without);
    }

    /** With momentum: the file of each parameter's velocity at the last complete epoch, and its SHA-256. */
    public Manifest withVelocities(String velocities, String velocitiesSha256) {
        return new Manifest(format, run, network, epochsDone, epochsPlanned, seed, batchSize, threads, limit, augment,
                learningRate, weightDecay, dropout, momentum, without, dataSource, dataChecksum, weights, weightsSha256, velocities,
                velocitiesSha256, versions, updated);
    }

    /** The threads and versions (engine, DJL, Java) the latest epoch was trained with: a resumed run may differ. */
    public Manifest withRuntime(int threads, Map<String, String> versions) {
        return new Manifest(format, run, network, epochsDone, epochsPlanned, seed, batchSize, threads, limit, augment,
                learningRate, weightDecay, dropout, momentum, without, dataSource, dataChecksum, weights, weightsSha256, velocities,
                velocitiesSha256, versions, updated);
    }

    public Manifest withData(String dataSource, String dataChecksum) {
        return new Manifest(format, run, network, epochsDone, epochsPlanned, seed, batchSize, threads, limit, augment,
                learningRate, weightDecay, dropout, momentum, without, dataSource, dataChecksum, weights, weightsSha256, velocities,
                velocitiesSha256, versions, updated);
    }

    public void write(Path dir) {
        AtomicFiles.write(dir.resolve(FILE), temporary -> Files.writeString(temporary, GSON.toJson(this) + "\n"));
    }

    /** The manifest in {@code dir}, checked for the fields every run has; bad input if it is missing or damaged. */
    public static Manifest read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(dir, "holds no run (no " + FILE + "); train one first, or name the folder a training run wrote (its --output)");
        }
        Manifest manifest;
        try {
            manifest = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Manifest.class);
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new BadInputException(file, "not a readable run manifest (" + e.getMessage() + ")");
        }
        if (manifest == null || manifest.run == null || manifest.network == null || manifest.weights == null
                || manifest.weightsSha256 == null || manifest.epochsDone < 1 || manifest.batchSize < 1) {
            throw new BadInputException(file, "not a complete run manifest (run, network, epochsDone, batchSize, weights and weightsSha256 are required)");
        }
        if (manifest.format != FORMAT) throw new BadInputException(file, "manifest format " + manifest.format + ", expected " + FORMAT);
        return manifest;
    }
}
