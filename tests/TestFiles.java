import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

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
     * leading "/" or ".." included, so tests can build hostile archives; names over 100 bytes get a
     * GNU long-name entry, as GNU tar writes them.
     * <p>Written by hand rather than with commons-compress's TarArchiveOutputStream, which needs
     * commons-lang3, a library DJL leaves off the classpath the scripts (and so these tests) run with.
     */
    static Path tarGz(Path archive, Map<String, byte[]> entries) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                byte[] name = e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                if (name.length > 100) {
                    byte[] longName = java.util.Arrays.copyOf(name, name.length + 1);
                    out.write(tarHeader("././@LongLink".getBytes(java.nio.charset.StandardCharsets.US_ASCII), longName.length, 'L'));
                    writePadded(out, longName);
                    name = java.util.Arrays.copyOf(name, 100);
                }
                out.write(tarHeader(name, e.getValue().length, '0'));
                writePadded(out, e.getValue());
            }
            out.write(new byte[1024]); // two empty blocks end the archive
        }
        return archive;
    }

    private static byte[] tarHeader(byte[] name, long size, char type) {
        byte[] header = new byte[512];
        System.arraycopy(name, 0, header, 0, name.length);
        putAscii(header, 100, "0000644\0");
        putAscii(header, 108, "0000000\0");
        putAscii(header, 116, "0000000\0");
        putAscii(header, 124, String.format("%011o\0", size));
        putAscii(header, 136, String.format("%011o\0", 1_600_000_000L));
        putAscii(header, 148, "        "); // the checksum counts its own field as spaces
        header[156] = (byte) type;
        putAscii(header, 257, "ustar  \0"); // GNU tar's magic and version
        int sum = 0;
        for (byte b : header) sum += b & 0xFF;
        putAscii(header, 148, String.format("%06o\0 ", sum));
        return header;
    }

    private static void putAscii(byte[] header, int offset, String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    private static void writePadded(OutputStream out, byte[] data) throws IOException {
        out.write(data);
        out.write(new byte[(512 - data.length % 512) % 512]);
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
