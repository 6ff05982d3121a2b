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
            description = "Learning rate: the size of each SGD step (default: the run's, the tutorial's " + Training.LEARNING_RATE
                    + "; in lesson 12 the filters' first Muon step, " + TutorialRun.Recipe.MODERN_FILTER_RATE + ").")
    public Float learningRate;

    @Option(names = "--weight-decay", paramLabel = "W",
            description = "L2 weight decay: each step also shrinks every weight by the learning rate times W times itself (default: the run's,"
                    + " 0 for the tutorial's; in lesson 12 W a training image, for the weights SGD trains).")
    public Float weightDecay;

    @Option(names = "--momentum", paramLabel = "M",
            description = "Momentum: each step also keeps M times the step before (default: the run's, 0 for the tutorial's; 0.9 is usual;"
                    + " in lesson 12 the filters', 0.6).")
    public Float momentum;

    @Option(names = "--dropout", paramLabel = "P",
            description = "Drop this share of the values after each pooling and hidden Dense layer while training, in the tutorial's CNNs (default: 0).")
    public Float dropout;

    @Option(names = "--gpus", paramLabel = "N",
            description = "Train on N GPUs of this machine, each batch split between them (\"all\": every GPU the engine sees;"
                    + " default: the engine's default device, the CPU with the course's libraries).")
    public String gpus;

    /** --weight-decay, checked: 0 or more; {@code recipe}'s when not given. */
    public float weightDecay(float recipe) {
        if (weightDecay == null) return recipe;
        if (!(weightDecay >= 0) || weightDecay.isInfinite()) throw new BadInputException("--weight-decay must be 0 or more, got " + weightDecay);
        return weightDecay;
    }

    /** --dropout, checked: in [0, 1). */
    public float dropout() {
        if (dropout == null) return 0;
        if (!(dropout >= 0 && dropout < 1)) throw new BadInputException("--dropout must be at least 0 and below 1, got " + dropout);
        return dropout;
    }

    /** --momentum, checked: in [0, 1); {@code recipe}'s when not given. */
    public float momentum(float recipe) {
        if (momentum == null) return recipe;
        if (!(momentum >= 0 && momentum < 1)) throw new BadInputException("--momentum must be at least 0 and below 1, got " + momentum);
        return momentum;
    }

    /** The learning rate asked for, checked: a positive number; {@code recipe}'s when not given. */
    public float learningRate(float recipe) {
        if (learningRate == null) return recipe;
        if (!(learningRate > 0) || learningRate.isInfinite()) throw new BadInputException("--lr must be a positive number, got " + learningRate);
        return learningRate;
    }
}
