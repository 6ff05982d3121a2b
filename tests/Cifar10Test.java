import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import lib.Cifar10;
import lib.DataSplits;
import lib.LabeledImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10Test {
    private static final List<String> NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    @TempDir Path dir;
    private Path cache;
    private String previousCache;

    @BeforeEach
    void useTemporaryCache() throws IOException {
        cache = Files.createDirectories(dir.resolve("cache"));
        previousCache = System.getProperty("cnn-lessons.cache");
        System.setProperty("cnn-lessons.cache", cache.toString());
    }

    @AfterEach
    void restoreCache() {
        if (previousCache == null) System.clearProperty("cnn-lessons.cache");
        else System.setProperty("cnn-lessons.cache", previousCache);
    }

    /** One record: the label, then the red, green and blue planes, each 32 rows of 32. */
    private static byte[] record(int label, int seed) {
        byte[] record = new byte[3073];
        record[0] = (byte) label;
        for (int c = 0; c < 3; c++)
            for (int p = 0; p < 1024; p++) record[1 + c * 1024 + p] = (byte) value(seed, c, p);
        return record;
    }

    private static int value(int seed, int channel, int pixel) {
        return (seed * 31 + channel * 85 + pixel * 7) % 256;
    }

    @Test
    void readTurnsChannelPlanesIntoHeightWidthChannelPixels() throws IOException {
        byte[] first = record(6, 1);
        byte[] second = record(9, 2);
        byte[] both = Arrays.copyOf(first, 2 * 3073);
        System.arraycopy(second, 0, both, 3073, 3073);
        Path a = Files.write(dir.resolve("a.bin"), both);
        Path b = Files.write(dir.resolve("b.bin"), record(0, 3));

        LabeledImages images = Cifar10.read(List.of(a, b), NAMES);

        assertEquals(3, images.size());
        assertEquals(32, images.height());
        assertEquals(32, images.width());
        assertEquals(3, images.channels());
        assertEquals(List.of(6, 9, 0), List.of(images.label(0), images.label(1), images.label(2)));
        int[] seeds = {1, 2, 3};
        for (int i = 0; i < 3; i++)
            for (int p = 0; p < 1024; p++)
                for (int c = 0; c < 3; c++)
                    assertEquals(value(seeds[i], c, p), images.pixels()[(i * 1024 + p) * 3 + c] & 0xFF);
        // Row 5, column 17 of the second image, as a picture.
        int p = 5 * 32 + 17;
        int rgb = value(2, 0, p) << 16 | value(2, 1, p) << 8 | value(2, 2, p);
        assertEquals(rgb, images.toImage(1).getRGB(17, 5) & 0xFFFFFF);
    }

    @Test
    void loadReadsClassNamesFromTheMetaFile() throws IOException {
        Path folder = TestFiles.cifarFolder(dir, 2);
        List<String> names = List.of("a0", "b1", "c2", "d3", "e4", "f5", "g6", "h7", "i8", "j9");
        Files.writeString(folder.resolve("batches.meta.txt"), String.join("\n", names) + "\n\n");

        DataSplits data = Cifar10.load(dir);

        assertEquals(names, data.train().classNames());
        assertEquals(names, data.test().classNames());
    }

    @Test
    void loadFromTheFolderThatHoldsTheExtractedFolder() throws IOException {
        TestFiles.cifarFolder(dir, 4); // 20 training records, 4 test records
        checkSplits(Cifar10.load(dir), 4);
    }

    @Test
    void loadFromTheExtractedFolderItself() throws IOException {
        checkSplits(Cifar10.load(TestFiles.cifarFolder(dir, 4)), 4);
    }

    /** TestFiles.cifarFolder: record i of each batch file is labelled i % 10, its red plane all i, green 100, blue 200. */
    private static void checkSplits(DataSplits data, int perBatch) {
        int train = 5 * perBatch;
        int validation = train / 2; // min(5000, n / 2)
        assertEquals(validation, data.validation().size());
        assertEquals(train - validation, data.train().size());
        assertEquals(perBatch, data.test().size());
        assertEquals(NAMES, data.train().classNames());
        // The five batch files in order; validation is the first half, training the rest.
        for (int n = 0; n < train; n++) {
            int record = n % perBatch;
            LabeledImages set = n < validation ? data.validation() : data.train();
            int index = n < validation ? n : n - validation;
            assertEquals(record % 10, set.label(index), "image " + n);
            int base = index * 3072;
            for (int p : new int[] {0, 1, 511, 1023}) {
                assertEquals(List.of(record, 100, 200), List.of(set.pixels()[base + 3 * p] & 0xFF,
                        set.pixels()[base + 3 * p + 1] & 0xFF, set.pixels()[base + 3 * p + 2] & 0xFF), "image " + n);
            }
        }
        assertEquals(List.of(0, 1), labels(data.test()).subList(0, 2));
    }

    private static List<Integer> labels(LabeledImages images) {
        return java.util.stream.IntStream.range(0, images.size()).map(images::label).boxed().toList();
    }

    @Test
    void archiveInAReadOnlyFolderIsExtractedIntoTheCacheOnceAndReused() throws IOException {
        Path folder = TestFiles.cifarFolder(dir.resolve("source"), 4);
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        Path archive = TestFiles.tarGz(downloads.resolve("cifar-10-binary.tar.gz"), TestFiles.entriesOf(folder, "cifar-10-batches-bin/"));
        Files.setPosixFilePermissions(downloads, PosixFilePermissions.fromString("r-xr-xr-x"));
        // An extraction named the way earlier versions named them, by a key that no longer says its archive
        Path older = Files.createDirectories(cache.resolve("cifar10").resolve("extracted-0badf00d").resolve("cifar-10-batches-bin"));
        try {
            checkSplits(Cifar10.load(downloads), 4);
            assertFalse(Files.exists(older.getParent()), "an extraction named the old way is removed with the new one made");

            assertEquals(List.of("cifar-10-binary.tar.gz"), TestFiles.list(downloads), "wrote beside the archive");
            List<String> extracted = TestFiles.list(cache.resolve("cifar10"));
            assertEquals(1, extracted.size(), "cache holds " + extracted);
            assertTrue(extracted.get(0).startsWith("extracted-"), extracted.get(0));
            Path testBatch = cache.resolve("cifar10").resolve(extracted.get(0)).resolve("cifar-10-batches-bin/test_batch.bin");
            Object fileKey = Files.readAttributes(testBatch, java.nio.file.attribute.BasicFileAttributes.class).fileKey();

            // Second load: the same extracted files (same inode), nothing new in the cache, and the
            // data is what the extracted folder holds now, so it was read from there.
            Files.write(testBatch, record(8, 5));
            DataSplits again = Cifar10.load(downloads);

            assertEquals(extracted, TestFiles.list(cache.resolve("cifar10")));
            assertEquals(fileKey, Files.readAttributes(testBatch, java.nio.file.attribute.BasicFileAttributes.class).fileKey());
            assertEquals(1, again.test().size());
            assertEquals(8, again.test().label(0));

            // The same archive named by another path is the same archive.
            Path roundabout = downloads.resolve("..").resolve(downloads.getFileName());
            Cifar10.load(roundabout);
            assertEquals(extracted, TestFiles.list(cache.resolve("cifar10")));

            // A changed archive (new modification time) is extracted afresh, in place of the old one.
            Files.setPosixFilePermissions(downloads, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(archive).toMillis() - 60_000));
            assertEquals(4, Cifar10.load(downloads).test().size());
            List<String> afterChange = TestFiles.list(cache.resolve("cifar10"));
            assertEquals(1, afterChange.size(), "cache holds " + afterChange);
            assertFalse(afterChange.equals(extracted), "extracted again");
        } finally {
            Files.setPosixFilePermissions(downloads, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void archiveWithALongEntryName() throws IOException {
        // GNU tar stores names over 100 bytes in a separate "././@LongLink" entry.
        Map<String, byte[]> entries = new LinkedHashMap<>(TestFiles.entriesOf(TestFiles.cifarFolder(dir.resolve("source"), 2),
                "cifar-10-batches-bin/"));
        String longName = "cifar-10-batches-bin/" + "notes-".repeat(20) + ".txt";
        entries.put(longName, "extra".getBytes());
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        TestFiles.tarGz(downloads.resolve("cifar-10-binary.tar.gz"), entries);

        checkSplits(Cifar10.load(downloads), 2);

        List<String> extracted = TestFiles.list(cache.resolve("cifar10"));
        assertEquals(1, extracted.size(), extracted.toString());
        assertEquals("extra", Files.readString(cache.resolve("cifar10").resolve(extracted.get(0)).resolve(longName)));
    }

    @Test
    void missingFolderSaysWhereItLooked() {
        Path missing = dir.resolve("no-such-dir");
        TestFiles.assertBadInput(() -> Cifar10.load(missing), missing, "no such folder", "--data-dir", "cifar-10-binary.tar.gz");
    }

    @Test
    void folderWithoutTheData() throws IOException {
        Files.writeString(dir.resolve("readme.txt"), "nothing here");
        TestFiles.assertBadInput(() -> Cifar10.load(dir), dir, "holds neither", "cifar-10-binary.tar.gz", "cifar-10-batches-bin");
    }

    @Test
    void missingBatchFile() throws IOException {
        Path folder = TestFiles.cifarFolder(dir, 1);
        Files.delete(folder.resolve("data_batch_4.bin"));
        TestFiles.assertBadInput(() -> Cifar10.load(dir), folder.resolve("data_batch_4.bin"), "missing");
    }

    @Test
    void batchFileOfTheWrongSize() throws IOException {
        Path folder = TestFiles.cifarFolder(dir, 2);
        Path batch = folder.resolve("data_batch_3.bin");
        byte[] bytes = Files.readAllBytes(batch);
        Files.write(batch, Arrays.copyOf(bytes, bytes.length - 1));
        TestFiles.assertBadInput(() -> Cifar10.load(dir), batch, "6145 bytes", "3073-byte records");
        Files.write(batch, new byte[0]);
        TestFiles.assertBadInput(() -> Cifar10.load(dir), batch, "0 bytes");
    }

    @Test
    void labelOver9() throws IOException {
        Path folder = TestFiles.cifarFolder(dir, 2);
        Path batch = folder.resolve("test_batch.bin");
        byte[] bytes = Files.readAllBytes(batch);
        bytes[3073] = 10; // second record
        Files.write(batch, bytes);
        TestFiles.assertBadInput(() -> Cifar10.load(dir), batch, "record 1", "label 10");
        bytes[3073] = (byte) 255;
        Files.write(batch, bytes);
        TestFiles.assertBadInput(() -> Cifar10.load(dir), batch, "label 255");
    }

    @Test
    void archiveOfRandomBytes() throws IOException {
        byte[] junk = new byte[5000];
        new Random(3).nextBytes(junk);
        Path archive = Files.write(dir.resolve("cifar-10-binary.tar.gz"), junk);
        TestFiles.assertBadInput(() -> Cifar10.load(dir), archive, "corrupt or truncated archive");
        assertCacheEmpty();
    }

    @Test
    void truncatedArchive() throws IOException {
        Path folder = TestFiles.cifarFolder(dir.resolve("source"), 30);
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        // Random pixels, so the gzip stream is about as long as the data and a cut lands inside a batch file.
        Map<String, byte[]> entries = TestFiles.entriesOf(folder, "cifar-10-batches-bin/");
        Random random = new Random(5);
        for (byte[] content : entries.values()) {
            if (content.length % 3073 != 0) continue;
            for (int offset = 0; offset < content.length; offset += 3073) {
                byte[] noise = new byte[3072];
                random.nextBytes(noise);
                System.arraycopy(noise, 0, content, offset + 1, 3072);
            }
        }
        Path archive = TestFiles.tarGz(downloads.resolve("cifar-10-binary.tar.gz"), entries);
        byte[] whole = Files.readAllBytes(archive);
        Files.write(archive, Arrays.copyOf(whole, whole.length * 2 / 3));
        TestFiles.assertBadInput(() -> Cifar10.load(downloads), archive, "corrupt or truncated archive");
        assertCacheEmpty();
    }

    @Test
    void archiveEntryClimbingOutWithDotDot() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>(TestFiles.entriesOf(TestFiles.cifarFolder(dir.resolve("source"), 1),
                "cifar-10-batches-bin/"));
        entries.put("cifar-10-batches-bin/../../../evil.txt", "gotcha".getBytes());
        Path archive = TestFiles.tarGz(dir.resolve("cifar-10-binary.tar.gz"), entries);

        TestFiles.assertBadInput(() -> Cifar10.load(dir), archive, "unsafe entry", "evil.txt");

        assertCacheEmpty();
        try (Stream<Path> all = Files.walk(dir)) {
            assertFalse(all.anyMatch(p -> p.getFileName().toString().equals("evil.txt")), "evil.txt was written");
        }
    }

    @Test
    void archiveEntryWithAnAbsolutePath() throws IOException {
        Path evil = dir.resolve("outside").resolve("evil.txt");
        Map<String, byte[]> entries = new LinkedHashMap<>(TestFiles.entriesOf(TestFiles.cifarFolder(dir.resolve("source"), 1),
                "cifar-10-batches-bin/"));
        entries.put(evil.toString(), "gotcha".getBytes());
        Path archive = TestFiles.tarGz(dir.resolve("cifar-10-binary.tar.gz"), entries);

        TestFiles.assertBadInput(() -> Cifar10.load(dir), archive, "unsafe entry", evil.toString());

        assertCacheEmpty();
        assertFalse(Files.exists(evil), "the absolute entry was written");
    }

    /** Nothing extracted, not even a half-extracted temporary folder. */
    private void assertCacheEmpty() throws IOException {
        assertEquals(List.of(), TestFiles.list(cache.resolve("cifar10")));
    }
}
