package lib;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import lib.mxnet.HybridSequentialBlock;
import lib.mxnet.MxnetPrecision;
import lib.mxnet.MxnetRuntime;
import lib.pytorch.PytorchImages;
import lib.pytorch.PytorchRuntime;

/**
 * The one place the engine-neutral course meets the engine it runs on. DJL runs the same networks
 * on several engines: MXNet (the default, fastest on these lessons' x86-64 laptops) and PyTorch
 * (which also runs on Apple Silicon and ARM). What one engine needs to run well on a laptop (its
 * settings before it loads; MXNet: training as one graph) lives in a package of its own
 * ({@code lib.mxnet}, {@code lib.pytorch}), reached only from here. Another engine is added by adding
 * its package, a constant below and its native library in {@code Dependencies.java}.
 */
public final class Engines {
    private Engines() {}

    /** The engines the course runs on, by DJL's names for them. */
    public enum Name {
        MXNet("mxnet"), PyTorch("pytorch");

        /** The resource every native-library jar of this engine holds: present when the jar is on the classpath. */
        final String nativeMarker;

        Name(String lowerCase) {
            this.nativeMarker = "native/lib/" + lowerCase + ".properties";
        }

        public boolean nativeLibraryPresent() {
            return Engines.class.getClassLoader().getResource(nativeMarker) != null;
        }

        /** The name as typed in any case (--engine pytorch), or null if it names no engine of the course. */
        static Name parse(String text) {
            return Arrays.stream(values()).filter(name -> name.name().equalsIgnoreCase(text.trim())).findFirst().orElse(null);
        }
    }

    private static Name chosen;
    private static int threads;
    private static boolean engineRequested, threadsRequested;

    /**
     * Chooses the engine and sets it up for this machine before it loads: {@code requested} (from
     * --engine) and {@code threadCount} (from --threads) may be null. Without a request DJL's
     * {@code ai.djl.default_engine} / {@code DJL_DEFAULT_ENGINE} decide, else MXNet where it runs.
     */
    public static synchronized void prepare(String requested, Integer threadCount) {
        if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
        // Named by --engine, the property or the variable: a command that must go on the same way names it too.
        engineRequested = requested != null || System.getProperty("ai.djl.default_engine") != null
                || System.getenv("DJL_DEFAULT_ENGINE") != null;
        Name engine = choose(requested);
        threads = threadCount != null ? threadCount : threadsFromEnvironment();
        threadsRequested = threadCount != null;
        // DJL reads this, spelt as it spells the engine, when the engine first starts (below) and each
        // time a model or an array asks for the default engine.
        System.setProperty("ai.djl.default_engine", engine.name());
        switch (engine) {
            case MXNet -> MxnetRuntime.prepare(threadCount);
            case PyTorch -> PytorchRuntime.prepare(threads);
        }
        chosen = engine;
    }

    private static Name choose(String requested) {
        String source = "--engine";
        if (requested == null) {
            requested = System.getProperty("ai.djl.default_engine");
            source = "ai.djl.default_engine";
        }
        if (requested == null) {
            requested = System.getenv("DJL_DEFAULT_ENGINE");
            source = "DJL_DEFAULT_ENGINE";
        }
        requireDjlSpelling(System.getenv("DJL_DEFAULT_ENGINE"));
        EnumSet<Name> present = EnumSet.noneOf(Name.class);
        for (Name name : Name.values()) if (name.nativeLibraryPresent()) present.add(name);
        return choose(requested, source, platform(), MxnetRuntime.platformSupported(), present);
    }

    /**
     * DJL reads {@code DJL_DEFAULT_ENGINE} itself, ahead of the course's own setting, and knows the
     * engines only as it spells them: "pytorch" would fail deep inside DJL. ({@code ./jbang} mends
     * the spelling before Java starts.)
     */
    public static void requireDjlSpelling(String environment) {
        Name named = environment == null ? null : Name.parse(environment);
        if (named != null && !named.name().equals(environment)) {
            throw new BadInputException("DJL_DEFAULT_ENGINE=" + environment + ": DJL knows the engine only as it spells it: "
                    + "DJL_DEFAULT_ENGINE=" + named.name());
        }
    }

    /**
     * The engine to run on: the one requested (by {@code source}, null if none), else MXNet where it
     * runs and its native library is here, else PyTorch (with a note when the platform is the reason).
     */
    public static Name choose(String requested, String source, String platform, boolean mxnetRuns, Set<Name> present) {
        if (requested != null) {
            Name engine = Name.parse(requested);
            if (engine == null) {
                throw new BadInputException(source + " names no engine of the course: " + requested + " (choose MXNet or PyTorch)");
            }
            if (engine == Name.MXNet && !mxnetRuns) {
                throw new BadInputException("MXNet has no build for " + platform + "; use --engine PyTorch");
            }
            if (!present.contains(engine)) {
                throw new BadInputException(engine + "'s native library is not on the classpath: start the script with"
                        + " ./jbang, which adds it for --engine " + engine + " (README, \"Engines\")");
            }
            return engine;
        }
        if (mxnetRuns && present.contains(Name.MXNet)) return Name.MXNet;
        if (present.contains(Name.PyTorch)) {
            if (!mxnetRuns) System.err.println("Note: MXNet has no build for " + platform + "; running on PyTorch.");
            return Name.PyTorch;
        }
        throw new BadInputException((mxnetRuns ? "MXNet's" : "MXNet has no build for " + platform + ", and PyTorch's")
                + " native library is not on the classpath: start the script with ./jbang, which adds it for this machine"
                + " (README, \"Engines\")");
    }

    /** OpenMP's usual setting, else every core. */
    private static int threadsFromEnvironment() {
        String fromEnvironment = System.getenv("OMP_NUM_THREADS");
        try {
            if (fromEnvironment != null) return Integer.parseInt(fromEnvironment.trim());
        } catch (NumberFormatException e) {
            // not a number: the engine ignores it too
        }
        return Runtime.getRuntime().availableProcessors();
    }

    static String platform() {
        return System.getProperty("os.name") + " on " + System.getProperty("os.arch");
    }

    /** For programs other than the scripts: sets the engine up with its defaults, once. */
    public static synchronized void prepareOnce() {
        if (chosen == null) prepare(null, null);
    }

    /** The engine the scripts compute with, once prepared. */
    public static Name chosen() {
        prepareOnce();
        return chosen;
    }

    /**
     * The options that chose this engine and thread count ("--engine PyTorch --threads 1"; "" for the
     * defaults), for a command that must go on the way this one ran.
     */
    public static String chosenOptions() {
        prepareOnce();
        return (engineRequested ? " --engine " + chosen : "") + (threadsRequested ? " --threads " + threads : "");
    }

    /** The number of threads the engine computes with. */
    public static int threads() {
        prepareOnce();
        return threads;
    }

    /** Engine name and version as DJL reports them, for run records: "MXNet 1.9.1". */
    public static String description() {
        Engine engine = Engine.getInstance();
        return engine.getEngineName() + " " + engine.getVersion();
    }

    /**
     * An empty network to add layers to, as Keras's {@code Sequential()}: on MXNet one that trains as
     * one graph (same numbers, sooner), unless {@code -Dcnn-lessons.graph=off} or
     * {@code CNN_LESSONS_GRAPH=off} says not to; on other engines DJL's own.
     */
    public static SequentialBlock sequential() {
        return chosen() == Name.MXNet && HybridSequentialBlock.enabled() ? new HybridSequentialBlock() : new SequentialBlock();
    }

    /**
     * Whether lesson 12's network can compute in bfloat16 here, and gain by it ({@link Bfloat16}):
     * on MXNet, on a processor that multiplies bfloat16 in hardware (AVX-512 BF16 or AMX). On other
     * processors the arithmetic would be emulated, slower than float32; on PyTorch DJL cannot cast
     * to bfloat16 ({@link #toBfloat16}).
     */
    public static boolean bfloat16Fast() {
        return chosen() == Name.MXNet && MxnetRuntime.processorMultipliesBfloat16();
    }

    /**
     * A bfloat16 copy of {@code array}, which the gradient passes back through in float32: on MXNet
     * only. DJL's PyTorch engine has no bfloat16 cast (its {@code toType(DataType.BFLOAT16)} ends the
     * whole process), so there this refuses.
     */
    public static NDArray toBfloat16(NDArray array) {
        if (chosen() != Name.MXNet) {
            throw new UnsupportedOperationException("bfloat16 arithmetic is MXNet's only in this course; " + chosen() + " computes in float32");
        }
        return MxnetPrecision.cast(array, "bfloat16");
    }

    /** A float32 copy of {@code array}. */
    public static NDArray toFloat32(NDArray array) {
        return chosen() == Name.MXNet ? MxnetPrecision.cast(array, "float32") : array.toType(DataType.FLOAT32, false);
    }

    /**
     * Writes {@code values} into {@code array} (a network's weights, set before training), element
     * for element in its shape's order. On PyTorch by indexed assignment: DJL's {@code set(float[])}
     * there goes through a guard PyTorch has deprecated, and PyTorch prints a long warning about
     * "silent wrong results" that does not apply to a copy.
     */
    public static void overwrite(NDArray array, float[] values) {
        if (chosen() != Name.PyTorch) {
            array.set(values);
            return;
        }
        try (NDArray source = array.getManager().create(values, array.getShape())) {
            array.set(new NDIndex(":"), source);
        }
    }

    /**
     * A batch of images from pixels laid out as {@code shape} (N, C, H, W) says, stored the way the
     * engine trains on it fastest: channels-last on PyTorch ({@link PytorchImages}), as given elsewhere.
     */
    public static NDArray images(NDManager manager, float[] pixels, Shape shape) {
        return chosen() == Name.PyTorch ? PytorchImages.channelsLast(manager, pixels, shape) : manager.create(pixels, shape);
    }

    /**
     * The devices to train on: when {@code gpus} is null, the engine's default one (the CPU with the
     * course's native libraries; GPU 0 with an engine built for CUDA on a machine with a GPU), else
     * that many GPUs ("all": every GPU the engine sees).
     */
    public static Device[] devices(String gpus) {
        if (gpus == null) return new Device[] {Engine.getInstance().defaultDevice()};
        int visible = Engine.getInstance().getGpuCount();
        int wanted;
        if (gpus.equalsIgnoreCase("all")) {
            wanted = visible;
        } else {
            try {
                wanted = Integer.parseInt(gpus.trim());
            } catch (NumberFormatException e) {
                throw new BadInputException("--gpus takes a number of GPUs or \"all\", got \"" + gpus + "\"");
            }
            if (wanted < 1) throw new BadInputException("--gpus must be at least 1 (or \"all\"), got " + wanted);
        }
        if (visible == 0) {
            throw new BadInputException("--gpus " + gpus + ": " + chosen() + " sees no GPU on this machine (no GPU, or the"
                    + " CPU build of its native library: see the README, \"Training on GPUs\")");
        }
        if (wanted > visible) {
            throw new BadInputException("--gpus " + gpus + ": " + chosen() + " sees only " + Terminal.count(visible, "GPU"));
        }
        return Engine.getInstance().getDevices(wanted);
    }

    /** The names of the devices, for messages: "gpu(0), gpu(1)". */
    public static String describe(Device[] devices) {
        return String.join(", ", List.of(devices).stream().map(Device::toString).toList()).toLowerCase(Locale.ROOT);
    }
}
