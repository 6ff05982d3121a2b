package lib;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes files so that a crash or an error never leaves a half-written one behind. */
public final class AtomicFiles {
    private AtomicFiles() {}

    public interface Writer {
        void write(Path temporary) throws IOException;
    }

    /** Lets {@code writer} fill a temporary file beside {@code target}, then renames it into place. */
    public static Path write(Path target, Writer writer) {
        Path absolute = target.toAbsolutePath();
        Path temporary = null;
        try {
            Files.createDirectories(absolute.getParent());
            String name = absolute.getFileName().toString();
            String extension = name.contains(".") ? name.substring(name.lastIndexOf('.')) : "";
            // Keeps the extension: some writers (XChart's) append one to names that lack it.
            temporary = Files.createTempFile(absolute.getParent(), "." + name + ".", ".part" + extension);
            writer.write(temporary);
            if (Files.getFileStore(temporary).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // Best effort: the temporary file is hidden and named after its target.
                }
            }
        }
    }

    /** Deletes {@code path}, a file or a folder with everything in it; nothing happens when it does not exist. */
    public static void deleteTree(Path path) {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (java.util.stream.Stream<Path> tree = Files.walk(path)) {
            for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + path + ": " + e.getMessage(), e);
        }
    }
}
