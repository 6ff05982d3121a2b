package lib;

import java.nio.file.Path;

/**
 * A problem with what the user gave us (a data file, a folder, an option) rather than a bug.
 * Scripts print its message on one line and exit with code 2.
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
