package lib;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Downloads dataset files into the user's cache, checks their published checksum, and never leaves a partial file. */
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

    /** Downloads {@code url} to {@code target} unless it is already there, verifying its MD5. */
    public static Path fetch(URI url, Path target, String md5) {
        if (Files.isRegularFile(target)) return target;
        System.err.println("Downloading " + url + " to " + target);
        try {
            AtomicFiles.write(target, temporary -> {
                URLConnection connection = url.toURL().openConnection();
                connection.setConnectTimeout(30_000);
                connection.setReadTimeout(60_000);
                long total = connection.getContentLengthLong();
                MessageDigest digest = md5Digest();
                try (InputStream in = new DigestInputStream(connection.getInputStream(), digest);
                        OutputStream out = Files.newOutputStream(temporary)) {
                    copyWithProgress(in, out, total);
                }
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!actual.equalsIgnoreCase(md5)) {
                    throw new IOException("checksum mismatch: MD5 " + actual + ", expected " + md5);
                }
            });
        } catch (RuntimeException e) {
            throw new BadInputException("could not download " + url + " (" + rootMessage(e)
                    + "); download it by hand and pass its folder with --data-dir");
        }
        return target;
    }

    /** The MD5 of a file, as lowercase hex. */
    public static String md5(Path file) throws IOException {
        MessageDigest digest = md5Digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void copyWithProgress(InputStream in, OutputStream out, long total) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long copied = 0;
        long lastReport = 0;
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
