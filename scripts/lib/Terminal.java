package lib;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;

/**
 * Whether output goes to a person at a terminal (a moving progress bar, coloured help) or to a file,
 * a pipe or a CI log (one line an epoch, plain text).
 */
public final class Terminal {
    private Terminal() {}

    /** A count in words: "1 thread", "2 threads". */
    public static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** Standard output as the program started with it: a stream put in its place is never a terminal. */
    private static final PrintStream STANDARD_OUTPUT = System.out;

    /** True when {@code out} is standard output, standard output is a terminal, and neither CI nor a dumb terminal is set. */
    public static boolean isInteractive(PrintStream out) {
        return out == STANDARD_OUTPUT && System.getenv("CI") == null && !"dumb".equals(System.getenv("TERM"))
                && standardOutputIsTerminal();
    }

    /**
     * Java 22 and later answer with {@code Console.isTerminal()} (their {@code System.console()}
     * exists even when output is redirected); before that the C library's {@code isatty} does, and
     * where there is none (Windows on Java 17), a console's presence.
     */
    static boolean standardOutputIsTerminal() {
        Console console = System.console();
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return console != null && (Boolean) isTerminal.invoke(console) && isatty(1) != Boolean.FALSE;
        } catch (ReflectiveOperationException e) {
            Boolean tty = isatty(1);
            return tty != null ? tty : console != null;
        }
    }

    private interface C extends Library {
        int isatty(int fd);
    }

    /** Whether file descriptor {@code fd} is a terminal, or null without a C library. */
    private static Boolean isatty(int fd) {
        try {
            return Native.load("c", C.class).isatty(fd) == 1;
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }
}
