import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Small data files the tests write, in the formats the loaders read. */
final class TestFiles {
    private TestFiles() {}

    /** An IDX file: magic number, dimensions, then the bytes; gzip-compressed when the name ends in .gz. */
    static Path idx(Path file, int magic, int[] dims, byte[] data) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length).putInt(magic);
        for (int d : dims) header.putInt(d);
        try (OutputStream out = file.toString().endsWith(".gz")
                ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(header.array());
            out.write(data);
        }
        return file;
    }

    /** {@code count} images of {@code side} x {@code side}, pixel (i, y, x) = (i + y + x) % 256. */
    static byte[] images(int count, int side) {
        byte[] data = new byte[count * side * side];
        for (int i = 0; i < count; i++)
            for (int y = 0; y < side; y++)
                for (int x = 0; x < side; x++) data[(i * side + y) * side + x] = (byte) ((i + y + x) % 256);
        return data;
    }

    /** Labels 0, 1, ..., 9, 0, 1, ... */
    static byte[] labels(int count) {
        byte[] data = new byte[count];
        for (int i = 0; i < count; i++) data[i] = (byte) (i % 10);
        return data;
    }

    /** The four Fashion-MNIST files in {@code dir}, with {@code train} training and {@code test} test images. */
    static Path fashionMnist(Path dir, int train, int test, boolean gzip) throws IOException {
        String ext = gzip ? ".gz" : "";
        idx(dir.resolve("train-images-idx3-ubyte" + ext), 0x803, new int[] {train, 28, 28}, images(train, 28));
        idx(dir.resolve("train-labels-idx1-ubyte" + ext), 0x801, new int[] {train}, labels(train));
        idx(dir.resolve("t10k-images-idx3-ubyte" + ext), 0x803, new int[] {test, 28, 28}, images(test, 28));
        idx(dir.resolve("t10k-labels-idx1-ubyte" + ext), 0x801, new int[] {test}, labels(test));
        return dir;
    }

    /** A CIFAR-10 batch file: {@code count} records, record i labelled i % 10, its red plane all i, green 100, blue 200. */
    static Path cifarBatch(Path file, int count) throws IOException {
        byte[] data = new byte[count * 3073];
        for (int i = 0; i < count; i++) {
            int offset = i * 3073;
            data[offset] = (byte) (i % 10);
            for (int p = 0; p < 1024; p++) {
                data[offset + 1 + p] = (byte) i;
                data[offset + 1 + 1024 + p] = (byte) 100;
                data[offset + 1 + 2048 + p] = (byte) 200;
            }
        }
        Files.createDirectories(file.getParent());
        return Files.write(file, data);
    }

    /** A complete cifar-10-batches-bin folder with {@code perBatch} records in each file. */
    static Path cifarFolder(Path dir, int perBatch) throws IOException {
        Path folder = dir.resolve("cifar-10-batches-bin");
        for (int i = 1; i <= 5; i++) cifarBatch(folder.resolve("data_batch_" + i + ".bin"), perBatch);
        cifarBatch(folder.resolve("test_batch.bin"), perBatch);
        Files.writeString(folder.resolve("batches.meta.txt"),
                "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n");
        return folder;
    }

    /**
     * A tar.gz holding {@code entries} (name to contents) in order. Names are stored as given, a
     * leading "/" or ".." included, so tests can build hostile archives.
     */
    static Path tarGz(Path archive, Map<String, byte[]> entries) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(archive)))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true); // true: keep a leading "/"
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }

    /** The files of {@code folder}, named {@code prefix + file name}, in name order, for {@link #tarGz}. */
    static Map<String, byte[]> entriesOf(Path folder, String prefix) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) entries.put(prefix + file.getFileName(), Files.readAllBytes(file));
        }
        return entries;
    }

    /**
     * Asserts that {@code action} throws {@link lib.BadInputException} whose message contains every
     * one of {@code fragments} (a file name, the problem), and returns that message.
     */
    static String assertBadInput(org.junit.jupiter.api.function.Executable action, Object... fragments) {
        lib.BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(lib.BadInputException.class, action);
        for (Object fragment : fragments) {
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(fragment.toString()),
                    () -> "message lacks '" + fragment + "': " + e.getMessage());
        }
        return e.getMessage();
    }

    /** Every name in {@code dir}, hidden ones included, sorted; empty when {@code dir} does not exist. */
    static java.util.List<String> list(Path dir) throws IOException {
        if (!Files.exists(dir)) return java.util.List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
