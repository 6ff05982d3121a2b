package lib;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;

/** Downloads dataset files into the user's cache, checks their published checksum, and resumes a download cut short. */
public final class Downloads {
    private Downloads() {}

    /**
     * {@code $CNN_LESSONS_CACHE} (or the system property {@code cnn-lessons.cache}), else
     * {@code $XDG_CACHE_HOME/cnn-lessons}, else {@code ~/.cache/cnn-lessons}.
     */
    public static Path cacheDir(String dataset) {
        String root = System.getProperty("cnn-lessons.cache", System.getenv("CNN_LESSONS_CACHE"));
        if (root == null) {
            String xdg = System.getenv("XDG_CACHE_HOME");
            root = (xdg != null ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
                    .resolve("cnn-lessons").toString();
        }
        return Path.of(root, dataset);
    }

    /**
     * Downloads {@code url} to {@code target} unless it is already there, verifying its MD5. The bytes
     * go to {@code target.part} first: a download cut short (a dropped connection, Ctrl-C) is picked
     * up where it stopped next time, with an HTTP range request where the server allows one, and the
     * file takes its real name only once its checksum is right.
     */
    public static Path fetch(URI url, Path target, String md5) {
        if (Files.isRegularFile(target)) return target;
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            removeTemporaries(target);
            download(url, partial);
            String actual = md5(partial);
            if (!actual.equalsIgnoreCase(md5)) {
                Files.delete(partial); // a bad copy: the next attempt starts afresh
                throw new IOException("checksum mismatch: MD5 " + actual + ", expected " + md5);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("could not download " + url + " (" + rootMessage(e)
                    + "); download it by hand and pass its folder with --data-dir");
        }
        return target;
    }

    /** Appends what {@code partial} lacks of {@code url}, or writes it anew when the server can only send all of it. */
    private static void download(URI url, Path partial) throws IOException {
        long have = Files.isRegularFile(partial) ? Files.size(partial) : 0;
        URLConnection connection = url.toURL().openConnection();
        connection.setConnectTimeout(30_000);
        connection.setReadTimeout(60_000);
        boolean resumed = false;
        if (connection instanceof HttpURLConnection http) {
            if (have > 0) http.setRequestProperty("Range", "bytes=" + have + "-");
            int status = http.getResponseCode();
            if (status == HttpURLConnection.HTTP_PARTIAL) {
                String range = http.getHeaderField("Content-Range");
                resumed = range != null && range.startsWith("bytes " + have + "-");
                if (!resumed) throw new IOException("the server sent bytes '" + range + "', not from byte " + have);
            } else if (status == 416 && have > 0) {
                Files.delete(partial); // the part is no prefix of the file: start afresh
                download(url, partial);
                return;
            } else if (status != HttpURLConnection.HTTP_OK) {
                throw new IOException("HTTP " + status + " " + http.getResponseMessage());
            }
        }
        long total = connection.getContentLengthLong();
        try (InputStream in = connection.getInputStream()) {
            if (resumed) {
                System.err.printf("Resuming the download of %s at byte %,d%n", url, have);
            } else {
                System.err.println("Downloading " + url + " to " + partial);
                have = 0;
            }
            try (OutputStream out = resumed ? Files.newOutputStream(partial, StandardOpenOption.APPEND)
                    : Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                copyWithProgress(in, out, have, total < 0 ? -1 : have + total);
            }
        }
    }

    /** Hidden temporary files an earlier version of these scripts left beside {@code target} when stopped mid-download. */
    private static void removeTemporaries(Path target) throws IOException {
        String prefix = "." + target.getFileName() + ".";
        try (Stream<Path> siblings = Files.list(target.toAbsolutePath().getParent())) {
            for (Path sibling : siblings.toList()) {
                String name = sibling.getFileName().toString();
                if (name.startsWith(prefix) && name.contains(".part")) Files.deleteIfExists(sibling);
            }
        }
    }

    /** The MD5 of a file, as lowercase hex. */
    public static String md5(Path file) throws IOException {
        MessageDigest digest = md5Digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void copyWithProgress(InputStream in, OutputStream out, long copied, long total) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long lastReport = copied;
        for (int n; (n = in.read(buffer)) > 0; ) {
            out.write(buffer, 0, n);
            copied += n;
            if (copied - lastReport >= (1 << 22) || copied == total) {
                lastReport = copied;
                String percent = total > 0 ? String.format(" (%d%%)", copied * 100 / total) : "";
                System.err.printf("\r  %,d of %s bytes%s", copied, total > 0 ? String.format("%,d", total) : "?", percent);
            }
        }
        System.err.println();
        if (total > 0 && copied < total) throw new IOException("the connection closed after " + copied + " of " + total + " bytes");
    }

    private static MessageDigest md5Digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) e = e.getCause();
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
