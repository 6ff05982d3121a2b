package lib;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * CIFAR-10 (Krizhevsky, 2009): 60,000 colour 32x32 photos in 10 classes, in the canonical binary
 * distribution. Keras: {@code keras.datasets.cifar10.load_data()}.
 */
public final class Cifar10 {
    private Cifar10() {}

    static final String ARCHIVE = "cifar-10-binary.tar.gz";
    static final String FOLDER = "cifar-10-batches-bin";
    static final URI DOWNLOAD_URL = URI.create("https://www.cs.toronto.edu/~kriz/" + ARCHIVE);
    static final String ARCHIVE_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";
    static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin");
    static final String TEST_FILE = "test_batch.bin";

    /** The ten classes in label order, as batches.meta.txt lists them. */
    public static final List<String> CLASS_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");
    static final String META_FILE = "batches.meta.txt";

    private static final int SIDE = 32;
    private static final int RECORD_BYTES = 1 + 3 * SIDE * SIDE;

    /** Loads the data from {@code dataDir} (or the usual places) and splits it as the tutorial does. */
    public static DataSplits load(Path dataDir) {
        Path folder = locate(dataDir);
        List<String> classNames = readClassNames(folder.resolve(META_FILE));
        List<Path> trainFiles = TRAIN_FILES.stream().map(folder::resolve).toList();
        LabeledImages train = read(trainFiles, classNames);
        LabeledImages test = read(List.of(folder.resolve(TEST_FILE)), classNames);
        return DataSplits.holdOutValidation(train, test);
    }

    /**
     * The extracted {@code cifar-10-batches-bin} folder. Looks in {@code --data-dir}, else
     * {@code $CIFAR10_DIR}, else the user cache (downloading the official archive into it). Each of
     * these may hold the folder itself, its files, or the archive, which is extracted into the user
     * cache once: the archive's own folder may be read-only.
     */
    static Path locate(Path dataDir) {
        if (dataDir != null) return findIn(dataDir, "--data-dir");
        String fromEnvironment = System.getenv("CIFAR10_DIR");
        if (fromEnvironment != null) return findIn(Path.of(fromEnvironment), "$CIFAR10_DIR");
        Path cache = Downloads.cacheDir("cifar10");
        if (Files.isRegularFile(cache.resolve(FOLDER).resolve(TEST_FILE))) return cache.resolve(FOLDER);
        Downloads.fetch(DOWNLOAD_URL, cache.resolve(ARCHIVE), ARCHIVE_MD5);
        return findIn(cache, "the download cache");
    }

    private static Path findIn(Path dir, String source) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(dir, "no such folder (from " + source + "); it should hold " + ARCHIVE
                    + " or its " + FOLDER + " folder, from " + DOWNLOAD_URL);
        }
        for (Path candidate : List.of(dir.resolve(FOLDER), dir)) {
            if (Files.isRegularFile(candidate.resolve(TEST_FILE))) return requireFiles(candidate);
        }
        Path archive = dir.resolve(ARCHIVE);
        if (Files.isRegularFile(archive)) return requireFiles(extractOnce(archive));
        throw new BadInputException(dir, "holds neither " + ARCHIVE + " nor " + FOLDER + "/ (from " + source
                + "); get the archive from " + DOWNLOAD_URL);
    }

    private static Path requireFiles(Path folder) {
        for (String name : Stream.concat(TRAIN_FILES.stream(), Stream.of(TEST_FILE, META_FILE)).toList()) {
            if (!Files.isRegularFile(folder.resolve(name))) throw new BadInputException(folder.resolve(name), "missing");
        }
        return folder;
    }

    /**
     * Extracts the archive into the user cache, under a name derived from the archive's real path
     * (however it was named: ../data and /home/me/data are one archive), size and modification
     * time, so each archive is extracted once; a changed one is extracted again in place of the old.
     */
    static Path extractOnce(Path archive) {
        try {
            Path real = archive.toRealPath();
            String prefix = "extracted-" + HexFormat.of().toHexDigits(real.toString().hashCode()) + "-";
            String version = Files.size(real) + "|" + Files.getLastModifiedTime(real).toMillis();
            Path cache = Downloads.cacheDir("cifar10");
            Path target = cache.resolve(prefix + HexFormat.of().toHexDigits(version.hashCode()));
            if (!Files.isDirectory(target)) {
                extract(archive, target);
                try (Stream<Path> entries = Files.list(cache)) {
                    for (Path old : entries.toList()) {
                        String name = old.getFileName().toString();
                        // The same archive's earlier extractions, and any made before names said the archive's path
                        if (!old.equals(target) && (name.startsWith(prefix) || name.matches("extracted-[0-9a-f]{8}"))) AtomicFiles.deleteTree(old);
                    }
                }
            }
            return target.resolve(FOLDER);
        } catch (IOException e) {
            throw new BadInputException(archive, "cannot be read (" + e.getMessage() + ")");
        }
    }

    /** Extracts a tar.gz into {@code target}, refusing entries that would land outside it. */
    public static void extract(Path archive, Path target) {
        Path temporary = null;
        try {
            Path parent = Files.createDirectories(target.toAbsolutePath().getParent());
            // An extraction stopped half-way (Ctrl-C, a full disk) left its folder: it is of no use, and big.
            try (Stream<Path> siblings = Files.list(parent)) {
                for (Path sibling : siblings.toList()) {
                    if (sibling.getFileName().toString().startsWith("." + target.getFileName() + ".part")) AtomicFiles.deleteTree(sibling);
                }
            }
            temporary = Files.createTempDirectory(parent, "." + target.getFileName() + ".part");
            System.err.println("Extracting " + archive + " to " + target);
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(archive), 1 << 16))) {
                for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                    Path destination = temporary.resolve(entry.getName()).normalize();
                    if (Path.of(entry.getName()).isAbsolute() || entry.getName().contains("..") || !destination.startsWith(temporary)) {
                        throw new BadInputException(archive, "unsafe entry '" + entry.getName() + "' would land outside " + target);
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(destination);
                    } else if (entry.isFile()) {
                        Files.createDirectories(destination.getParent());
                        Files.copy(tar, destination);
                    }
                }
            }
            Files.move(temporary, target);
        } catch (IOException e) {
            throw new BadInputException(archive, "corrupt or truncated archive (" + e.getMessage() + ")");
        } finally {
            if (temporary != null) AtomicFiles.deleteTree(temporary);
        }
    }


    static List<String> readClassNames(Path metaFile) {
        try {
            List<String> names = Files.readAllLines(metaFile, StandardCharsets.UTF_8).stream()
                    .map(String::strip).filter(line -> !line.isEmpty()).toList();
            if (names.size() != 10) throw new BadInputException(metaFile, "lists " + names.size() + " class names, expected 10");
            return names;
        } catch (IOException e) {
            throw new BadInputException(metaFile, "cannot be read (" + e.getMessage() + ")");
        }
    }

    /**
     * Reads batch files of 3,073-byte records: a label byte, then the red, green and blue planes of
     * a 32x32 image. Pixels are stored height x width x channels, like the Fashion-MNIST ones.
     */
    public static LabeledImages read(List<Path> batchFiles, List<String> classNames) {
        int records = 0;
        for (Path file : batchFiles) records += recordCount(file);
        byte[] labels = new byte[records];
        byte[] pixels = new byte[records * 3 * SIDE * SIDE];
        int image = 0;
        for (Path file : batchFiles) { // one file at a time: the whole set is read only once into memory
            byte[] bytes = readAll(file);
            if (bytes.length != (long) recordCount(file) * RECORD_BYTES) throw new BadInputException(file, "changed while being read");
            for (int offset = 0; offset < bytes.length; offset += RECORD_BYTES, image++) {
                int label = bytes[offset] & 0xFF;
                if (label >= classNames.size()) {
                    throw new BadInputException(file, "record " + offset / RECORD_BYTES + " has label " + label + ", over 9");
                }
                labels[image] = (byte) label;
                int out = image * 3 * SIDE * SIDE;
                for (int pixel = 0; pixel < SIDE * SIDE; pixel++) {
                    for (int channel = 0; channel < 3; channel++) {
                        pixels[out++] = bytes[offset + 1 + channel * SIDE * SIDE + pixel];
                    }
                }
            }
        }
        return new LabeledImages(pixels, labels, SIDE, SIDE, 3, classNames);
    }

    private static int recordCount(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new BadInputException(file, "cannot be read (" + e.getMessage() + ")");
        }
        if (size == 0 || size % RECORD_BYTES != 0) {
            throw new BadInputException(file, "has " + size + " bytes, not a whole number of "
                    + RECORD_BYTES + "-byte records (truncated or not a CIFAR-10 batch file)");
        }
        return Math.toIntExact(size / RECORD_BYTES);
    }

    private static byte[] readAll(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new BadInputException(file, "cannot be read (" + e.getMessage() + ")");
        }
    }
}
