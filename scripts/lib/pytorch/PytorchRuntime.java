package lib.pytorch;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import lib.BadInputException;

/**
 * PyTorch through DJL on a laptop: as many compute threads as MXNet gets (--threads, else
 * OMP_NUM_THREADS, else all cores) and one thread between operations, since a training step runs
 * its operations one after another. DJL reads these settings once, when the engine loads.
 */
public final class PytorchRuntime {
    private PytorchRuntime() {}

    /** Sets PyTorch up and starts it, so a missing or broken native library shows here, in one line. */
    public static void prepare(int threads) {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            manager.zeros(new Shape(1));
        } catch (RuntimeException | LinkageError e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            throw new BadInputException("PyTorch could not start on " + System.getProperty("os.name") + " on "
                    + System.getProperty("os.arch") + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")");
        }
    }
}
