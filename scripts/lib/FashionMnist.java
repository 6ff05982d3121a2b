package lib;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Fashion-MNIST (Zalando, 2017): 70,000 grey 28x28 pictures of clothes in 10 classes, in the
 * original IDX files. Keras: {@code keras.datasets.fashion_mnist.load_data()}.
 */
public final class FashionMnist {
    private FashionMnist() {}

    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    private static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    /** The official files and their published MD5 checksums. */
    static final String DOWNLOAD_URL = "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/";
    private static final List<String> MD5 = List.of("8d4fb7e6c68d591d4c3dfef9ec88bf0d",
            "25c81989df183df01b3e8a0aad5dffbe", "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310");

    static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    /** Loads the data from {@code dataDir} (or the usual places) and splits it as the tutorial does. */
    public static DataSplits load(Path dataDir) {
        Path dir = locate(dataDir);
        LabeledImages train = read(file(dir, TRAIN_IMAGES), file(dir, TRAIN_LABELS));
        LabeledImages test = read(file(dir, TEST_IMAGES), file(dir, TEST_LABELS));
        return DataSplits.holdOutValidation(train, test);
    }

    /**
     * The folder holding the four files: {@code --data-dir}, else {@code $FASHION_MNIST_DIR}, else
     * Debian's {@code dataset-fashion-mnist} package, else the user cache, downloading into it.
     */
    static Path locate(Path dataDir) {
        if (dataDir != null) return requireFiles(dataDir, "--data-dir");
        String fromEnvironment = System.getenv("FASHION_MNIST_DIR");
        if (fromEnvironment != null) return requireFiles(Path.of(fromEnvironment), "$FASHION_MNIST_DIR");
        if (hasAllFiles(DEBIAN_DIR)) return DEBIAN_DIR;
        return download(Downloads.cacheDir("fashion-mnist"));
    }

    /** Downloads whichever of the four files {@code dir} lacks, each checked against its MD5. */
    static Path download(Path dir) {
        for (int i = 0; i < FILES.size(); i++) {
            if (findFile(dir, FILES.get(i)) == null) {
                String name = FILES.get(i) + ".gz";
                Downloads.fetch(URI.create(DOWNLOAD_URL + name), dir.resolve(name), MD5.get(i));
            }
        }
        return dir;
    }

    private static Path requireFiles(Path dir, String source) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(dir, "no such folder (from " + source + "); it should hold the four "
                    + "Fashion-MNIST IDX files, e.g. from 'apt-get install dataset-fashion-mnist'");
        }
        for (String name : FILES) file(dir, name);
        return dir;
    }

    private static boolean hasAllFiles(Path dir) {
        return FILES.stream().allMatch(name -> findFile(dir, name) != null);
    }

    private static Path findFile(Path dir, String name) {
        for (Path candidate : List.of(dir.resolve(name + ".gz"), dir.resolve(name))) {
            if (Files.isRegularFile(candidate)) return candidate;
        }
        return null;
    }

    private static Path file(Path dir, String name) {
        Path found = findFile(dir, name);
        if (found == null) throw new BadInputException(dir.resolve(name + ".gz"), "missing (neither it nor " + name + " exists)");
        return found;
    }

    /** Reads an IDX image file and its IDX label file, gzip-compressed or raw. */
    public static LabeledImages read(Path imagesFile, Path labelsFile) {
        byte[] labels = readIdx(labelsFile, LABELS_MAGIC, 1).data;
        Idx images = readIdx(imagesFile, IMAGES_MAGIC, 3);
        if (images.dims[0] != labels.length) {
            throw new BadInputException(labelsFile, labels.length + " labels for the " + images.dims[0] + " images in " + imagesFile);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= CLASS_NAMES.size()) {
                throw new BadInputException(labelsFile, "label " + (labels[i] & 0xFF) + " of item " + i + " is out of range 0-9");
            }
        }
        return new LabeledImages(images.data, labels, images.dims[1], images.dims[2], 1, CLASS_NAMES);
    }

    private record Idx(int[] dims, byte[] data) {}

    private static Idx readIdx(Path file, int expectedMagic, int rank) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(open(file), 1 << 16))) {
            int magic = in.readInt();
            if (magic != expectedMagic) {
                throw new BadInputException(file, String.format("not an IDX %s file (magic number 0x%08X, expected 0x%08X)",
                        rank == 1 ? "label" : "image", magic, expectedMagic));
            }
            int[] dims = new int[rank];
            long total = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = in.readInt();
                if (dims[i] <= 0) throw new BadInputException(file, "dimension " + i + " is " + dims[i]);
                total *= dims[i];
            }
            if (total > Integer.MAX_VALUE - 8) throw new BadInputException(file, "too large (" + total + " bytes of data)");
            byte[] data = new byte[(int) total];
            int read = in.readNBytes(data, 0, data.length);
            if (read < data.length) {
                throw new BadInputException(file, "truncated: the header promises " + total + " bytes of data, the file has " + read);
            }
            if (in.read() != -1) throw new BadInputException(file, "has bytes after the " + total + " its header announces");
            return new Idx(dims, data);
        } catch (EOFException e) {
            throw new BadInputException(file, "truncated: the file ends inside its header or compressed stream");
        } catch (ZipException e) {
            throw new BadInputException(file, "corrupt gzip data (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new BadInputException(file, "cannot be read (" + e.getMessage() + ")");
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }
}
