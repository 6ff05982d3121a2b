package lib;

import picocli.CommandLine.Option;

/** The options of the training scripts that say what to do with the run folder. */
public class TrainingOptions {
    @Option(names = "--resume",
            description = "Continue the run in --output from its last complete epoch (same seed, batch size and data).")
    public boolean resume;

    @Option(names = "--overwrite", description = "Replace the run in --output with a new one.")
    public boolean overwrite;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "Learning rate: the size of each SGD step (default: the tutorial's 0.01).")
    public Float learningRate;

    /** The learning rate asked for, checked: a positive number. */
    public float learningRate() {
        if (learningRate == null) return Training.LEARNING_RATE;
        if (!(learningRate > 0) || learningRate.isInfinite()) throw new BadInputException("--lr must be a positive number, got " + learningRate);
        return learningRate;
    }
}
