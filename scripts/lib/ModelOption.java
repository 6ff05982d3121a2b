package lib;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model}: which trained run a script uses (evaluate, inspect, classify, features). */
public class ModelOption {
    @Option(names = "--model", paramLabel = "DIR",
            description = "A run folder (default: output/cifar10 if you trained it, else the course's models/cifar10).")
    Path modelDir;

    /** The run to use: --model, else your own output/cifar10, else the course's models/cifar10; says which. */
    public RunFolder.Saved open() {
        return RunFolder.openForUse(modelDir, TutorialRun.CIFAR10);
    }
}
