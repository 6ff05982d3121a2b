package lib;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads picture files (PNG, JPEG, GIF, BMP) with Java's own ImageIO, checking them first: an empty
 * file, a file that is no picture, a damaged one, or one whose header claims a size no picture has,
 * is bad input with one line saying which and why, never a stack trace or an out-of-memory error.
 */
public final class ImageFiles {
    private ImageFiles() {}

    public static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "gif", "bmp");

    /** Larger than any photo a camera takes: a header claiming more is damaged or hostile. */
    public static final long MAX_PIXELS = 100_000_000L;

    /** The picture in {@code file}: the first frame of an animated GIF. */
    public static BufferedImage read(Path file) {
        if (Files.isDirectory(file)) throw new BadInputException(file, "is a folder; name a picture in it");
        if (!Files.isRegularFile(file)) throw new BadInputException(file, "no such file");
        try {
            if (Files.size(file) == 0) throw new BadInputException(file, "empty file");
        } catch (IOException e) {
            throw new BadInputException(file, "cannot be read (" + e.getMessage() + ")");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (in == null || !readers.hasNext()) throw new BadInputException(file, "not a picture: no PNG, JPEG, GIF or BMP content");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width < 1 || height < 1 || width * height > MAX_PIXELS) {
                    throw new BadInputException(file, "its header claims " + width + " x " + height + " pixels, more than "
                            + MAX_PIXELS / 1_000_000 + " million: refused");
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener(new IIOReadWarningListener() {
                    @Override
                    public void warningOccurred(ImageReader source, String warning) {
                        warnings.add(warning);
                    }
                });
                BufferedImage image = reader.read(0);
                // A truncated JPEG decodes with grey where the data stopped, and only a warning.
                if (!warnings.isEmpty()) throw new BadInputException(file, "damaged picture (" + warnings.get(0) + ")");
                return image;
            } finally {
                reader.dispose();
            }
        } catch (javax.imageio.IIOException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("Unsupported Image Type")) {
                throw new BadInputException(file, "a CMYK or YCCK JPEG, which Java cannot read; save it as RGB");
            }
            throw new BadInputException(file, "damaged or truncated picture (" + message + ")");
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadInputException bad) throw bad;
            throw new BadInputException(file, "damaged or truncated picture (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    /** The picture files among {@code paths}: files as given, folders' pictures by name, in order. */
    public static List<Path> collect(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                List<Path> pictures;
                try (Stream<Path> entries = Files.list(path)) {
                    pictures = entries.filter(ImageFiles::hasPictureName).sorted().toList();
                } catch (IOException e) {
                    throw new BadInputException(path, "cannot be read (" + e.getMessage() + ")");
                }
                if (pictures.isEmpty()) throw new BadInputException(path, "holds no pictures (" + String.join(", ", EXTENSIONS) + ") of its own; its subfolders are not searched");
                files.addAll(pictures);
            } else if (Files.exists(path)) {
                files.add(path);
            } else {
                throw new BadInputException(path, "no such file or folder");
            }
        }
        return files;
    }

    private static boolean hasPictureName(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(path) && EXTENSIONS.stream().anyMatch(extension -> name.endsWith("." + extension));
    }
}
