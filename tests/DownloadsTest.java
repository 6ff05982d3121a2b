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

    /**
     * A web server on the loopback address serving {@code content} at /data.bin: it honours range
     * requests when {@code ranges} is set, and closes the connection after {@code cutAfter} bytes
     * of a response when that is not negative. It records each request's Range header.
     */
    private static final class LoopbackServer implements AutoCloseable {
        final java.net.ServerSocket socket;
        final List<String> ranges = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile int cutAfter = -1;

        LoopbackServer(byte[] content, boolean honourRanges) throws IOException {
            socket = new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
            Thread thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (java.net.Socket client = socket.accept()) {
                        serve(client, content, honourRanges);
                    } catch (IOException e) {
                        // closed, or the client hung up
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        private void serve(java.net.Socket client, byte[] content, boolean honourRanges) throws IOException {
            java.io.BufferedReader request = new java.io.BufferedReader(new java.io.InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
            String range = null;
            for (String line; (line = request.readLine()) != null && !line.isEmpty(); ) {
                if (line.toLowerCase().startsWith("range:")) range = line.substring(6).trim();
            }
            ranges.add(String.valueOf(range));
            int from = 0;
            String status = "200 OK";
            String extra = "";
            if (honourRanges && range != null && range.matches("bytes=\\d+-")) {
                from = Integer.parseInt(range.substring(6, range.length() - 1));
                if (from >= content.length) {
                    client.getOutputStream().write("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    return;
                }
                status = "206 Partial Content";
                extra = "Content-Range: bytes " + from + "-" + (content.length - 1) + "/" + content.length + "\r\n";
            }
            java.io.OutputStream out = client.getOutputStream();
            out.write(("HTTP/1.1 " + status + "\r\nContent-Length: " + (content.length - from) + "\r\n" + extra
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            int end = cutAfter < 0 ? content.length : Math.min(content.length, from + cutAfter);
            out.write(content, from, end - from);
            out.flush(); // and the socket closes, before the end when cut short
        }

        java.net.URI uri() {
            return java.net.URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/data.bin");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aDownloadCutShortResumesWithARangeRequest() throws IOException {
        byte[] content = randomBytes(1_000_000);
        String md5 = Downloads.md5(Files.write(dir.resolve("source.bin"), content));
        Path target = dir.resolve("cache").resolve("data.bin");
        try (LoopbackServer server = new LoopbackServer(content, true)) {
            server.cutAfter = 300_000;
            TestFiles.assertBadInput(() -> Downloads.fetch(server.uri(), target, md5), "could not download", server.uri());
            assertEquals(List.of("data.bin.part"), TestFiles.list(target.getParent()), "the part kept for next time, nothing else");
            assertEquals(300_000, Files.size(target.resolveSibling("data.bin.part")));

            server.cutAfter = -1;
            Downloads.fetch(server.uri(), target, md5);
            assertEquals(List.of("null", "bytes=300000-"), server.ranges);
            assertArrayEquals(content, Files.readAllBytes(target));
            assertEquals(List.of("data.bin"), TestFiles.list(target.getParent()));
        }
    }

    @Test
    void aServerWithoutRangesSendsTheWholeFileAgain() throws IOException {
        byte[] content = randomBytes(200_000);
        String md5 = Downloads.md5(Files.write(dir.resolve("source.bin"), content));
        Path target = targetWithPart(java.util.Arrays.copyOf(content, 50_000));
        try (LoopbackServer server = new LoopbackServer(content, false)) {
            Downloads.fetch(server.uri(), target, md5);
            assertEquals(List.of("bytes=50000-"), server.ranges);
        }
        assertArrayEquals(content, Files.readAllBytes(target));
        assertEquals(List.of("data.bin"), TestFiles.list(target.getParent()));
    }

    @Test
    void aDamagedPartIsThrownAwayAndTheNextAttemptStartsAfresh() throws IOException {
        byte[] content = randomBytes(200_000);
        String md5 = Downloads.md5(Files.write(dir.resolve("source.bin"), content));
        Path target = targetWithPart(new byte[50_000]); // zeros, not the file's first bytes
        Files.writeString(target.resolveSibling(".data.bin.1234.part.bin"), "an older version's temporary file");
        try (LoopbackServer server = new LoopbackServer(content, true)) {
            TestFiles.assertBadInput(() -> Downloads.fetch(server.uri(), target, md5), "checksum mismatch");
            assertEquals(List.of(), TestFiles.list(target.getParent()), "nothing half-written left behind");
            Downloads.fetch(server.uri(), target, md5);
            assertEquals(List.of("bytes=50000-", "null"), server.ranges);
        }
        assertArrayEquals(content, Files.readAllBytes(target));
    }

    /** cache/data.bin, not there yet, with {@code part} as what an earlier attempt downloaded of it. */
    private Path targetWithPart(byte[] part) throws IOException {
        Path target = Files.createDirectories(dir.resolve("cache")).resolve("data.bin");
        Files.write(target.resolveSibling("data.bin.part"), part);
        return target;
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        new Random(11).nextBytes(bytes);
        return bytes;
    }
}
