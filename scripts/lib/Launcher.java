package lib;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Starts a script: parses its options, gives MXNet every CPU core, runs it, and turns bad input into
 * one line on stderr and exit code 2 (a stack trace is for bugs, not for a mistyped folder name).
 */
public final class Launcher {
    private Launcher() {}

    public static void run(Object script, String[] args) {
        System.exit(execute(script, new PrintWriter(System.err, true), args));
    }

    /** Runs {@code script} with {@code args} and returns its exit code: 0 done, 2 bad input, 1 a bug. */
    public static int execute(Object script, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(script);
        commandLine.getCommandSpec().version("cnn-lessons 1.0");
        commandLine
                .setErr(err)
                .setParameterExceptionHandler(Launcher::reportBadOption)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (!(e instanceof BadInputException)) throw e;
                    cmd.getErr().println("error: " + e.getMessage());
                    return 2;
                })
                .setExecutionStrategy(parsed -> {
                    CommonOptions options = commonOptions(parsed.commandSpec());
                    if (options != null) {
                        try {
                            options.validate();
                        } catch (BadInputException e) {
                            throw new ParameterException(parsed.commandSpec().commandLine(), e.getMessage());
                        }
                        prepareRuntime(options);
                    }
                    return new CommandLine.RunLast().execute(parsed);
                });
        return commandLine.execute(args);
    }

    private static int reportBadOption(ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("error: " + e.getMessage() + " (see --help)");
        return 2;
    }

    private static CommonOptions commonOptions(CommandSpec spec) {
        return spec.mixins().values().stream()
                .map(CommandSpec::userObject)
                .filter(CommonOptions.class::isInstance)
                .map(CommonOptions.class::cast)
                .findFirst().orElse(null);
    }

    /** Must run before the first DJL class loads MXNet's native library, which reads these once. */
    private static void prepareRuntime(CommonOptions options) {
        if (!options.show) System.setProperty("java.awt.headless", "true");
        int threads = options.threads != null ? options.threads : Runtime.getRuntime().availableProcessors();
        if (options.threads != null || System.getenv("OMP_NUM_THREADS") == null) {
            // MXNet uses only half the cores on x86 (it assumes hyper-threading) unless told otherwise.
            setEnvironment("OMP_NUM_THREADS", String.valueOf(threads));
            mxnetThreads = String.valueOf(threads);
        } else {
            mxnetThreads = System.getenv("OMP_NUM_THREADS");
        }
        if (System.getenv("MXNET_ENGINE_TYPE") == null) {
            // MXNet's default engine hands every operation to a scheduler thread of its own; on a
            // laptop's few cores that thread competes with the ones doing the arithmetic. Running
            // each operation in the calling thread makes a training step about 15% faster here.
            setEnvironment("MXNET_ENGINE_TYPE", "NaiveEngine");
        }
        keepFreedMemory();
        startMxnetQuietly();
    }

    private static String mxnetThreads;

    /** The number of threads MXNet was told to compute with (OMP_NUM_THREADS), once a script started. */
    public static String mxnetThreads() {
        return mxnetThreads;
    }

    private interface C extends Library {
        int setenv(String name, String value, int overwrite);

        int mallopt(int parameter, int value);

        int dup(int fd);

        int dup2(int fd, int fd2);

        int open(String path, int flags);

        int close(int fd);
    }

    /**
     * MXNet announces the engine chosen above with a log line on stderr when it starts; that line
     * would only puzzle a learner, so MXNet starts here with stderr pointed at /dev/null. Errors
     * still arrive: they come as Java exceptions, after stderr is back.
     */
    private static void startMxnetQuietly() {
        C c;
        int savedStderr;
        try {
            c = Native.load("c", C.class);
            System.err.flush();
            savedStderr = c.dup(2);
        } catch (UnsatisfiedLinkError e) {
            return; // not a POSIX C library: the line stays
        }
        int devNull = c.open("/dev/null", O_WRONLY);
        c.dup2(devNull, 2);
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.zeros(new Shape(1)); // the first array starts the engine
        } finally {
            c.dup2(savedStderr, 2);
            c.close(devNull);
            c.close(savedStderr);
        }
    }

    private static final int O_WRONLY = 1;

    private static final int M_TRIM_THRESHOLD = -1, M_TOP_PAD = -2, M_MMAP_THRESHOLD = -3;

    /**
     * Each training step MXNet frees its multi-megabyte activation buffers and allocates them again.
     * By default glibc hands such memory back to the system and the next step takes thousands of
     * page faults to get it back (about 3,000 a step on the CIFAR-10 model); keeping it in the
     * process makes a step 5-20% faster and leaves the peak memory unchanged.
     */
    private static void keepFreedMemory() {
        try {
            C c = Native.load("c", C.class);
            c.mallopt(M_MMAP_THRESHOLD, 32 << 20);
            c.mallopt(M_TRIM_THRESHOLD, 512 << 20);
            c.mallopt(M_TOP_PAD, 64 << 20);
        } catch (UnsatisfiedLinkError e) {
            // Not glibc: its allocator has its own policy.
        }
    }

    private static void setEnvironment(String name, String value) {
        try {
            Native.load("c", C.class).setenv(name, value, 1);
        } catch (UnsatisfiedLinkError e) {
            // Not a glibc/macOS system: MXNet then picks its own thread count; set OMP_NUM_THREADS by hand.
        }
    }
}
