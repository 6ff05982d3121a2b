package lib;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options every script shares: picocli adds them to a script through {@code @Mixin}. */
public class CommonOptions {
    /**
     * On a script's class: the common options it has a use for (--engine and --threads go without
     * saying for a script that runs an engine). The others are left out of its --help and refused as
     * unknown, so that no option is taken and then ignored. A script without it takes them all (the
     * training scripts).
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface Uses {
        String[] value();
    }

    @Spec(Spec.Target.MIXEE) CommandSpec command;
    @Option(names = "--epochs", paramLabel = "N",
            description = "Passes over the training data (default: the run's, as its lesson trains it).")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Images per step (default: ${DEFAULT-VALUE}; lesson 12's training: " + TutorialRun.Recipe.MODERN_BATCH_SIZE + ", its recipe's).")
    public int batchSize = 32; // set here, not as picocli's default: a script that leaves the option out keeps it

    @Option(names = "--limit", paramLabel = "N",
            description = "Use only the first N images of each split, for quick runs.")
    Integer limit;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder holding the dataset files (default: searched for, then downloaded).")
    public Path dataDir;

    @Option(names = "--output", paramLabel = "DIR",
            description = "Folder for what the script writes (default: a folder under output/; the script's opening comment says which).")
    public Path output;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed for weights, shuffling and augmentation (default: ${DEFAULT-VALUE}).")
    public int seed = 42; // likewise

    @Option(names = "--show", description = "When the script ends, also open the figures it drew in a window, when a display exists.")
    public boolean show;

    @Option(names = "--threads", paramLabel = "N",
            description = "CPU threads for the engine (default: $OMP_NUM_THREADS, else all cores).")
    Integer threads;

    @Option(names = "--engine", paramLabel = "NAME",
            description = "MXNet or PyTorch (default: $DJL_DEFAULT_ENGINE, else MXNet where it runs, else PyTorch).")
    String engine;

    public int epochs(int tutorialDefault) {
        return epochs == null ? tutorialDefault : epochs;
    }

    /** The largest number of images to take from a split: all of them unless --limit was given. */
    public int limit() {
        return limit == null ? Integer.MAX_VALUE : limit;
    }

    /** Whether {@code option} was on the command line (rather than left at its default). */
    public boolean given(String option) {
        return command != null && command.commandLine() != null && command.commandLine().getParseResult() != null
                && command.commandLine().getParseResult().hasMatchedOption(option);
    }

    public Path output(String runName) {
        return output == null ? Path.of("output", runName) : output;
    }

    /** Rejects values that would only fail later, far from the option that caused them. */
    public void validate() {
        if (epochs != null && epochs < 1) throw new BadInputException("--epochs must be at least 1, got " + epochs);
        if (batchSize < 1) throw new BadInputException("--batch-size must be at least 1, got " + batchSize);
        if (threads != null && threads < 1) throw new BadInputException("--threads must be at least 1, got " + threads);
        if (limit != null && limit < 1) throw new BadInputException("--limit must be at least 1, got " + limit);
    }
}
