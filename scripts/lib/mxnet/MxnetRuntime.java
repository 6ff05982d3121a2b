package lib.mxnet;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import lib.BadInputException;

/**
 * MXNet's defaults suit a server; these settings suit the learner's laptop, each measured with
 * {@code ./jbang bench} (README, "Speed"): all the cores, the engine that runs each operation in the
 * calling thread, freed memory kept in the process, and no log line at start. Settings the user
 * made in the environment win. Everything goes through the C library with JNA, before MXNet loads.
 */
public final class MxnetRuntime {
    private MxnetRuntime() {}

    /**
     * Sets MXNet up; {@code threads} (from --threads) may be null. Must run before the first DJL class
     * loads MXNet's native library, which reads these settings once.
     */
    public static void prepare(Integer threads) {
        requireSupportedPlatform();
        if (threads != null || System.getenv("OMP_NUM_THREADS") == null) {
            if (threads == null) threads = Runtime.getRuntime().availableProcessors();
            // MXNet uses only half the cores on x86 (it assumes hyper-threading) unless told otherwise.
            setEnvironment("OMP_NUM_THREADS", String.valueOf(threads));
        }
        if (System.getenv("MXNET_ENGINE_TYPE") == null) {
            // MXNet's default engine hands every operation to a scheduler thread of its own; on a
            // laptop's few cores that thread competes with the ones doing the arithmetic. Running
            // each operation in the calling thread makes a training step about 15% faster here.
            setEnvironment("MXNET_ENGINE_TYPE", "NaiveEngine");
        }
        keepFreedMemory();
        startQuietly();
    }

    /**
     * Whether the processor multiplies bfloat16 numbers in hardware (AVX-512 BF16 or AMX), which
     * MXNet's oneDNN kernels then use; Linux says so in /proc/cpuinfo. Without it they emulate the
     * arithmetic, more slowly than float32.
     */
    public static boolean processorMultipliesBfloat16() {
        return BFLOAT16_IN_HARDWARE;
    }

    private static final boolean BFLOAT16_IN_HARDWARE = readCpuFlags().matches("(?s).*\\b(avx512_bf16|amx_bf16)\\b.*");

    private static String readCpuFlags() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("flags")).findFirst().orElse("");
        } catch (IOException | UncheckedIOException e) {
            return ""; // not Linux: no bfloat16
        }
    }

    /** MXNet's native library exists for x86-64 only: no Apple Silicon, no ARM Linux. */
    public static boolean platformSupported() {
        String arch = System.getProperty("os.arch");
        return arch.equals("amd64") || arch.equals("x86_64");
    }

    private static void requireSupportedPlatform() {
        if (!platformSupported()) throw new BadInputException("MXNet has no build for " + platform() + "; use --engine PyTorch");
    }

    private static String platform() {
        return System.getProperty("os.name") + " on " + System.getProperty("os.arch");
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) e = e.getCause();
        return e.getClass().getSimpleName() + ": " + e.getMessage();
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
    private static void startQuietly() {
        if (LIBC == null) return; // the line stays
        System.err.flush();
        int savedStderr = LIBC.dup(2);
        int devNull = LIBC.open("/dev/null", O_WRONLY);
        LIBC.dup2(devNull, 2);
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.zeros(new Shape(1)); // the first array starts the engine
        } catch (RuntimeException | LinkageError e) {
            throw new BadInputException("MXNet could not start on " + platform() + " (" + rootMessage(e)
                    + "); the lessons need MXNet's native library for this machine, from Maven Central");
        } finally {
            LIBC.dup2(savedStderr, 2);
            LIBC.close(devNull);
            LIBC.close(savedStderr);
        }
    }

    private static final int O_WRONLY = 1;

    private static final int M_TRIM_THRESHOLD = -1, M_TOP_PAD = -2, M_MMAP_THRESHOLD = -3;

    /**
     * Each training step MXNet frees its multi-megabyte activation buffers and allocates them again.
     * By default glibc hands such memory back to the system and the next step takes thousands of
     * page faults to get it back (about 3,000 a step on the CIFAR-10 model); keeping it in the
     * process makes a step 5-20% faster; a full train-cifar run still peaks under 1 GiB.
     */
    private static void keepFreedMemory() {
        if (LIBC == null) return;
        try {
            LIBC.mallopt(M_MMAP_THRESHOLD, 32 << 20);
            LIBC.mallopt(M_TRIM_THRESHOLD, 512 << 20);
            LIBC.mallopt(M_TOP_PAD, 64 << 20);
        } catch (UnsatisfiedLinkError e) {
            // Not glibc (macOS): its allocator has its own policy.
        }
    }

    private static void setEnvironment(String name, String value) {
        if (LIBC != null) LIBC.setenv(name, value, 1);
    }

    /** The C library, or null where there is no POSIX one (Windows: set the variables by hand). */
    private static final C LIBC = loadLibc();

    private static C loadLibc() {
        try {
            return Native.load("c", C.class);
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }
}
