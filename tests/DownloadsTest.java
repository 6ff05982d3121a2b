import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import lib.Downloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadsTest {
    @TempDir Path dir;

    @Test
    void md5OfKnownContents() throws IOException {
        // RFC 1321's test vectors.
        assertEquals("d41d8cd98f00b204e9800998ecf8427e", Downloads.md5(Files.write(dir.resolve("empty"), new byte[0])));
        assertEquals("900150983cd24fb0d6963f7d28e17f72",
                Downloads.md5(Files.writeString(dir.resolve("abc"), "abc", StandardCharsets.US_ASCII)));
        assertEquals("57edf4a22be3c955ac49da2e2107b67a", Downloads.md5(Files.writeString(dir.resolve("digits"),
                "12345678901234567890123456789012345678901234567890123456789012345678901234567890", StandardCharsets.US_ASCII)));
    }

    @Test
    void fetchWithTheRightChecksumWritesTheFile() throws IOException {
        byte[] content = randomBytes(300_000);
        Path source = Files.write(dir.resolve("source.bin"), content);
        Path target = dir.resolve("cache").resolve("sub").resolve("data.bin");

        Path fetched = Downloads.fetch(source.toUri(), target, Downloads.md5(source).toUpperCase());

        assertEquals(target, fetched);
        assertArrayEquals(content, Files.readAllBytes(target));
        assertEquals(List.of("data.bin"), TestFiles.list(target.getParent()), "left a temporary file behind");
    }

    @Test
    void fetchWithAWrongChecksumLeavesNoFile() throws IOException {
        Path source = Files.write(dir.resolve("source.bin"), randomBytes(10_000));
        Path target = dir.resolve("cache").resolve("data.bin");
        String wrong = "0123456789abcdef0123456789abcdef";

        TestFiles.assertBadInput(() -> Downloads.fetch(source.toUri(), target, wrong),
                source.toUri(), "checksum mismatch", Downloads.md5(source), wrong);

        assertEquals(List.of(), TestFiles.list(target.getParent()), "the folder should stay empty, temporary files included");
    }

    @Test
    void fetchOfAMissingSourceLeavesNoFile() throws IOException {
        Path source = dir.resolve("not-there.bin");
        Path target = dir.resolve("cache").resolve("data.bin");
        TestFiles.assertBadInput(() -> Downloads.fetch(source.toUri(), target, "d41d8cd98f00b204e9800998ecf8427e"),
                "could not download", source.toUri(), "--data-dir");
        assertEquals(List.of(), TestFiles.list(target.getParent()));
    }

    @Test
    void fetchKeepsAFileThatIsAlreadyThere() throws IOException {
        Path source = Files.writeString(dir.resolve("source.txt"), "new");
        Path target = Files.writeString(dir.resolve("data.txt"), "old");
        assertEquals(target, Downloads.fetch(source.toUri(), target, Downloads.md5(source)));
        assertEquals("old", Files.readString(target));
    }

    @Test
    void cacheDirFollowsTheSystemProperty() {
        String previous = System.getProperty("cnn-lessons.cache");
        try {
            System.setProperty("cnn-lessons.cache", dir.toString());
            assertEquals(dir.resolve("cifar10"), Downloads.cacheDir("cifar10"));
        } finally {
            if (previous == null) System.clearProperty("cnn-lessons.cache");
            else System.setProperty("cnn-lessons.cache", previous);
        }
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        new Random(11).nextBytes(bytes);
        return bytes;
    }
}
