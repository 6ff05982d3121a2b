package lib;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.translate.Transform;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One training of the course, described once: which data, which network, how many epochs, the
 * recipe it trains with, and the name its run folder and commands go by. Training, {@code evaluate},
 * {@code bench} and {@code build-cnn} all take their choices from here, and a saved run names its
 * description, so a network is never paired with the wrong data or recipe.
 */
public record TutorialRun(String name, String title, Dataset dataset, String network, int epochs, Recipe recipe,
        String command) {

    public static final TutorialRun FASHION_MNIST = new TutorialRun("fashion-mnist", "Fashion-MNIST",
            Dataset.FASHION_MNIST, Models.FASHION_MNIST, 20, Recipe.TUTORIAL, "train-fashion-mnist");
    public static final TutorialRun CIFAR10 = new TutorialRun("cifar10", "CIFAR-10",
            Dataset.CIFAR10, Models.CIFAR10, 25, Recipe.TUTORIAL, "train-cifar");
    public static final TutorialRun CIFAR10_AUGMENTED = new TutorialRun("cifar10-augmented", "CIFAR-10 with augmentation",
            Dataset.CIFAR10, Models.CIFAR10, 25, Recipe.TUTORIAL.augmented(Augmented.TUTORIAL), "train-cifar-augmented");

    public static final TutorialRun FASHION_MNIST_DENSE = new TutorialRun("fashion-mnist-dense", "Fashion-MNIST, dense network",
            Dataset.FASHION_MNIST, Models.FASHION_MNIST_DENSE, 20, Recipe.TUTORIAL, "train-fashion-mnist --dense");

    /** Beyond the tutorial (lesson 12): a whitened CNN with batch normalisation, trained the modern way. */
    public static final TutorialRun CIFAR10_FAST = new TutorialRun("cifar10-fast", "CIFAR-10, modern recipe",
            Dataset.CIFAR10, Models.CIFAR10_WHITENED, 9, Recipe.MODERN, "train-cifar-fast");

    public static final List<TutorialRun> ALL = List.of(FASHION_MNIST, CIFAR10, CIFAR10_AUGMENTED, FASHION_MNIST_DENSE, CIFAR10_FAST);

    /** Whether the training images are augmented. */
    public boolean augment() {
        return recipe.augmented() != Augmented.NONE;
    }

    /** The run's augmentation of training batches, its draws seeded from {@code seed} (none: no transforms). */
    public Transform[] augmentation(int seed) {
        return augmentation(recipe, seed);
    }

    /** The augmentation {@code recipe} asks for. */
    public static Transform[] augmentation(Recipe recipe, int seed) {
        return switch (recipe.augmented()) {
            case NONE -> new Transform[0];
            case TUTORIAL -> Augmentation.tutorial(seed);
            case CROP_AND_FLIP -> Augmentation.cropAndFlip(seed);
            case CROP_AND_ALTERNATING_FLIP -> Augmentation.cropAndAlternatingFlip(seed);
        };
    }

    /** How training images are changed at random: not at all, the tutorial's four layers, crop and flip, or crop and flips that alternate. */
    public enum Augmented { NONE, TUTORIAL, CROP_AND_FLIP, CROP_AND_ALTERNATING_FLIP }

    /**
     * How a network is trained: batch size; the learning rate, momentum (Nesterov's or the plain
     * kind) and weight decay (SGD's for the tutorial; for lesson 12, the filters' {@link Muon} rate
     * and momentum, and decay per image); label smoothing; the augmentation; how many looks the
     * network takes at each test image ({@link Evaluation.Looks}: also mirrored, also shifted);
     * and, for lesson 12, whether each kind of parameter is trained its own way ({@link Muon}: the
     * tutorial's one SGD for all otherwise), whether the first layer whitens ({@link Whitening}),
     * whether the filters are trained by Muon (else by Nesterov SGD, as the rest) and whether the
     * network computes in bfloat16 where the processor does that fast ({@link Bfloat16}).
     */
    public record Recipe(int batchSize, float learningRate, float momentum, boolean nesterov, float weightDecay,
            float labelSmoothing, Augmented augmented, boolean flipAtTest, boolean shiftAtTest, boolean byKind,
            boolean whitening, boolean muon, boolean bfloat16) {

        /** Lesson 12's batch size and filter rate, named so the options' help can quote them (the tutorial's rate is Training's). */
        public static final float MODERN_FILTER_RATE = 0.08f;
        public static final int MODERN_BATCH_SIZE = 250;

        /** The tutorial's: batches of 32, plain SGD at 0.01 (Keras's defaults), nothing else. */
        public static final Recipe TUTORIAL = new Recipe(32, Training.LEARNING_RATE, 0, false, 0, 0, Augmented.NONE, false, false, false, false, false, false);

        /**
         * Lesson 12's, after Keller Jordan's airbench94_muon: batches of 250; a whitening first layer;
         * the filters trained by Muon (rate 0.08, Nesterov momentum 0.6), the rest by Nesterov SGD;
         * weight decay 2e-6 per image; every rate falling in a straight line to zero at the run's
         * end; label smoothing 0.2; random crops (2-pixel shifts) and flips that alternate epoch by
         * epoch; six looks at each test image (as it is and shifted a pixel either way, each also
         * mirrored), their scores averaged; and the network computing in bfloat16 where the
         * processor multiplies it fast.
         */
        public static final Recipe MODERN = new Recipe(MODERN_BATCH_SIZE, MODERN_FILTER_RATE, 0.6f, true, 2e-6f, 0.2f,
                Augmented.CROP_AND_ALTERNATING_FLIP, true, true, true, true, true, true);

        /** The ingredients --without can take out, one ablation each. */
        public static final List<String> INGREDIENTS = List.of("whitening", "muon", "label-smoothing", "augmentation",
                "alternating-flip", "flip-at-test", "shift-at-test", "bfloat16");

        Recipe augmented(Augmented how) {
            return new Recipe(batchSize, learningRate, momentum, nesterov, weightDecay, labelSmoothing, how, flipAtTest,
                    shiftAtTest, byKind, whitening, muon, bfloat16);
        }

        /**
         * This recipe with {@code ingredients} taken out: the whitening layer (a first convolution
         * trained like the others), Muon (Nesterov SGD for the filters too, at airbench94's rate), label
         * smoothing, augmentation, alternating flips (random ones instead), the mirrored and the
         * shifted looks at test time, bfloat16 (float32 throughout).
         */
        public Recipe without(List<String> ingredients) {
            List<String> out = ingredients == null ? List.of() : ingredients;
            for (String ingredient : out) {
                if (!INGREDIENTS.contains(ingredient)) {
                    throw new BadInputException("--without takes " + String.join(", ", INGREDIENTS) + "; not " + ingredient);
                }
            }
            Augmented how = out.contains("augmentation") ? Augmented.NONE
                    : out.contains("alternating-flip") && augmented == Augmented.CROP_AND_ALTERNATING_FLIP ? Augmented.CROP_AND_FLIP
                    : augmented;
            boolean noMuon = out.contains("muon");
            return new Recipe(batchSize, noMuon ? Muon.SGD_FILTER_RATE : learningRate, noMuon ? Muon.Settings.AIRBENCH.otherMomentum() : momentum,
                    nesterov, weightDecay, out.contains("label-smoothing") ? 0 : labelSmoothing, how,
                    flipAtTest && !out.contains("flip-at-test"), shiftAtTest && !out.contains("shift-at-test"), byKind,
                    whitening && !out.contains("whitening"), muon && !noMuon, bfloat16 && !out.contains("bfloat16"));
        }

        /** How many looks at each test image this recipe takes. */
        public Evaluation.Looks looks() {
            return new Evaluation.Looks(flipAtTest, shiftAtTest);
        }
    }

    /** The run called {@code name}, or null. */
    public static TutorialRun named(String name) {
        return ALL.stream().filter(run -> run.name.equals(name)).findFirst().orElse(null);
    }

    /** A fresh copy of the run's network, its weights not yet initialised. */
    public SequentialBlock newNetwork() {
        return Models.network(network);
    }

    /** The same with Dropout layers of {@code dropout} ({@code --dropout}; 0: none). */
    public SequentialBlock newNetwork(float dropout) {
        return Models.network(network, dropout);
    }

    /** Where a run goes when --output is not given; quick looks (--limit) get a folder of their own. */
    public Path defaultOutput(boolean quickLook) {
        return Path.of("output", quickLook ? name + "-quick" : name);
    }

    /** The two datasets of the tutorial, each found and read by its own class. */
    public enum Dataset {
        FASHION_MNIST("Fashion-MNIST", new Shape(1, 28, 28)),
        CIFAR10("CIFAR-10", new Shape(3, 32, 32));

        private final String title;
        private final Shape imageShape;

        Dataset(String title, Shape imageShape) {
            this.title = title;
            this.imageShape = imageShape;
        }

        public String title() {
            return title;
        }

        /** The ten class names, in label order. */
        public List<String> classNames() {
            return this == FASHION_MNIST ? FashionMnist.CLASS_NAMES : Cifar10.CLASS_NAMES;
        }

        /** One image as the network sees it: (channels, height, width). */
        public Shape imageShape() {
            return imageShape;
        }

        /** The folder the data is read from: {@code dataDir}, else the usual places, else a download. */
        public Path locate(Path dataDir) {
            return this == FASHION_MNIST ? FashionMnist.locate(dataDir) : Cifar10.locate(dataDir);
        }

        /** Reads the data from {@code dataDir} (else the usual places, else a download) and splits it as the tutorial does. */
        public DataSplits load(Path dataDir) {
            return this == FASHION_MNIST ? FashionMnist.load(dataDir) : Cifar10.load(dataDir);
        }
    }

    /** SHA-256 of every image and label of the three sets, in order: the same data gives the same text. */
    public static String checksum(DataSplits data) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (LabeledImages images : List.of(data.train(), data.validation(), data.test())) {
                digest.update(images.pixels());
                digest.update(images.labels());
            }
            return "sha256:" + HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
