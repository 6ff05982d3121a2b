package lib;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.sun.jna.Library;
import com.sun.jna.Native;

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
        if (threads != null || System.getenv("OMP_NUM_THREADS") == null) {
            if (threads == null) threads = Runtime.getRuntime().availableProcessors();
            // MXNet uses only half the cores on x86 (it assumes hyper-threading) unless told otherwise.
            setEnvironment("OMP_NUM_THREADS", String.valueOf(threads));
            threadCount = String.valueOf(threads);
        } else {
            threadCount = System.getenv("OMP_NUM_THREADS");
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

    private static String threadCount;

    /** The number of threads MXNet was told to compute with (OMP_NUM_THREADS), once prepared. */
    public static String threads() {
        return threadCount;
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
     * process makes a step 5-20% faster, and the peak stays where it was: a full train-cifar run
     * peaks under 1 GiB.
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
            // No POSIX C library (Windows): MXNet keeps its defaults; set these variables by hand.
        }
    }
}
