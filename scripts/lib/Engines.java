package lib;

import ai.djl.nn.SequentialBlock;
import lib.mxnet.HybridSequentialBlock;
import lib.mxnet.MxnetRuntime;

/**
 * The one place the engine-neutral course meets the engine it runs on. DJL runs the same models on
 * several engines; what one engine needs to run well on a laptop (MXNet: its settings before it
 * loads, training as one graph) lives in a package of its own ({@code lib.mxnet}), reached only
 * from here. Another engine is added by adding its package and a branch here.
 */
public final class Engines {
    private Engines() {}

    private static boolean prepared;

    /** Sets the engine up for this machine before it loads; {@code threads} (from --threads) may be null. */
    public static synchronized void prepare(Integer threads) {
        if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
        MxnetRuntime.prepare(threads);
        prepared = true;
    }

    /** For programs other than the scripts: sets the engine up with its defaults, once. */
    public static synchronized void prepareOnce() {
        if (!prepared) prepare(null);
    }

    /** The number of threads the engine computes with. */
    public static int threads() {
        String threads = MxnetRuntime.threads();
        return threads == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(threads);
    }

    /**
     * An empty network to add layers to, as Keras's {@code Sequential()}: on MXNet one that trains as
     * one graph (same numbers, sooner), unless {@code -Dcnn-lessons.graph=off} or
     * {@code CNN_LESSONS_GRAPH=off} says not to.
     */
    public static SequentialBlock sequential() {
        return HybridSequentialBlock.enabled() ? new HybridSequentialBlock() : new SequentialBlock();
    }
}
