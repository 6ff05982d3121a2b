package lib;

import picocli.CommandLine.Option;

/** The options of the training scripts that say what to do with the run folder. */
public class TrainingOptions {
    @Option(names = "--resume",
            description = "Continue the run in --output from its last complete epoch (same seed, batch size and data).")
    public boolean resume;

    @Option(names = "--overwrite", description = "Replace the run in --output with a new one.")
    public boolean overwrite;
}
