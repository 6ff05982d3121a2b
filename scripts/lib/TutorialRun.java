package lib;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One of the tutorial's three trainings, described once: which data, which network, how many
 * epochs, whether the training images are augmented, and the name its run folder and commands go
 * by. Training, {@code evaluate}, {@code bench} and {@code build-cnn} all take their choices from
 * here, and a saved run names its description, so a network is never paired with the wrong data.
 */
public record TutorialRun(String name, String title, Dataset dataset, String network, int epochs, boolean augment,
        String command) {

    public static final TutorialRun FASHION_MNIST = new TutorialRun("fashion-mnist", "Fashion-MNIST",
            Dataset.FASHION_MNIST, Models.FASHION_MNIST, 20, false, "train-fashion-mnist");
    public static final TutorialRun CIFAR10 = new TutorialRun("cifar10", "CIFAR-10",
            Dataset.CIFAR10, Models.CIFAR10, 25, false, "train-cifar");
    public static final TutorialRun CIFAR10_AUGMENTED = new TutorialRun("cifar10-augmented", "CIFAR-10 with augmentation",
            Dataset.CIFAR10, Models.CIFAR10, 25, true, "train-cifar-augmented");

    public static final TutorialRun FASHION_MNIST_DENSE = new TutorialRun("fashion-mnist-dense", "Fashion-MNIST, dense network",
            Dataset.FASHION_MNIST, Models.FASHION_MNIST_DENSE, 20, false, "train-fashion-mnist --dense");

    public static final List<TutorialRun> ALL = List.of(FASHION_MNIST, CIFAR10, CIFAR10_AUGMENTED, FASHION_MNIST_DENSE);

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
