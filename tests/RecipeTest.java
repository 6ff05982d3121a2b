import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import lib.Augmentation;
import lib.BadInputException;
import lib.Models;
import lib.Training;
import lib.TutorialRun;
import lib.TutorialRun.Recipe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lesson 12's recipe: each ingredient does what the lesson says it does. */
class RecipeTest {
    private NDManager manager;

    @BeforeEach
    void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    @Test
    void theLearningRateClimbsToItsPeakThenFallsToZero() {
        Tracker rate = Training.oneCycle(0.4f, 10, 40);
        assertEquals(0.04f, rate.getNewValue(1), 1e-6, "one step into the warm-up");
        assertEquals(0.2f, rate.getNewValue(5), 1e-6);
        assertEquals(0.4f, rate.getNewValue(10), 1e-6, "the peak, at the end of the warm-up");
        assertEquals(0.2f, rate.getNewValue(25), 1e-6, "half way down");
        assertEquals(0f, rate.getNewValue(40), 1e-6, "zero at the last step");
        float previous = 0;
        for (int step = 1; step <= 40; step++) {
            float value = rate.getNewValue(step);
            assertTrue(step <= 10 ? value > previous : value < previous || value == 0, "step " + step + ": " + value);
            previous = value;
        }
        // A run of a single step (a quick look with --limit): a finite rate, no division by zero.
        Tracker oneStep = Training.oneCycle(0.4f, 3, 1);
        assertTrue(Float.isFinite(oneStep.getNewValue(1)) && oneStep.getNewValue(1) > 0, "one step: " + oneStep.getNewValue(1));
    }

    @Test
    void labelSmoothingAimsAtOneMinusEOnTheTruthAndEOverTenEverywhere() {
        NDArray scores = manager.create(new float[] {2, 0, 0, 0, 0, 0, 0, 0, 0, -1}, new Shape(1, 10));
        NDArray label = manager.create(new float[] {0});
        Loss usual = Loss.softmaxCrossEntropyLoss();
        Loss smoothed = lossOf(Training.config(Tracker.fixed(0.1f), 0, 0, 0, false, 0.2f, new ai.djl.Device[] {ai.djl.Device.cpu()}));
        Loss none = lossOf(Training.config(Tracker.fixed(0.1f), 0, 0, 0, false, 0f, new ai.djl.Device[] {ai.djl.Device.cpu()}));
        float[] logP = scores.logSoftmax(1).toFloatArray();
        double target = 0; // cross-entropy against the smoothed target: 0.8 + 0.02 on class 0, 0.02 on the others
        for (int k = 0; k < 10; k++) target -= ((k == 0 ? 0.8 : 0) + 0.02) * logP[k];
        assertEquals(target, smoothed.evaluate(new NDList(label), new NDList(scores)).getFloat(), 1e-5);
        assertEquals(usual.evaluate(new NDList(label), new NDList(scores)).getFloat(),
                none.evaluate(new NDList(label), new NDList(scores)).getFloat(), 1e-6, "no smoothing: the usual loss");
    }

    private static Loss lossOf(ai.djl.training.TrainingConfig config) {
        return config.getLossFunction();
    }

    @Test
    void aCropShiftsByWholePixelsAndMirrorsTheBorder() {
        // One grey 1x4x4 image: pixel (x, y) is 10y + x.
        float[] pixels = new float[16];
        for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) pixels[4 * y + x] = 10 * y + x;
        NDArray image = manager.create(pixels, new Shape(1, 1, 4, 4));
        float[] left = Augmentation.shift(image, new int[] {1}, new int[] {0}).toFloatArray();
        // Moved left by one: each row reads x + 1; the last column reads past the edge, the mirror gives column 3 again.
        assertArrayEquals(new float[] {1, 2, 3, 3, 11, 12, 13, 13, 21, 22, 23, 23, 31, 32, 33, 33}, left);
        float[] down = Augmentation.shift(image, new int[] {0}, new int[] {-2}).toFloatArray();
        assertArrayEquals(new float[] {10, 11, 12, 13, 0, 1, 2, 3, 0, 1, 2, 3, 10, 11, 12, 13}, down, "two rows down, mirrored above");
        assertArrayEquals(pixels, Augmentation.shift(image, new int[] {0}, new int[] {0}).toFloatArray(), "no shift, no change");
    }

    @Test
    void everyShiftOfEveryChannelReadsTheMirroredPixel() {
        NDArray images = manager.randomUniform(0, 1, new Shape(2, 3, 6, 5));
        float[] in = images.toFloatArray();
        for (int across = -4; across <= 4; across++) {
            for (int down = -4; down <= 4; down++) {
                float[] out = Augmentation.shift(images, new int[] {across, -down}, new int[] {down, across}).toFloatArray();
                for (int i = 0; i < 2; i++) {
                    int dx = i == 0 ? across : -down, dy = i == 0 ? down : across;
                    for (int c = 0; c < 3; c++) for (int y = 0; y < 6; y++) for (int x = 0; x < 5; x++) {
                        int plane = (i * 3 + c) * 30;
                        assertEquals(in[plane + mirror(y + dy, 6) * 5 + mirror(x + dx, 5)], out[plane + y * 5 + x],
                                "image " + i + " channel " + c + " pixel (" + x + ", " + y + ") shifted by " + dx + ", " + dy);
                    }
                }
            }
        }
    }

    /** A position past an edge reads the pixel as far inside: -1 reads 0, size reads size - 1. */
    private static int mirror(int position, int size) {
        return position < 0 ? -position - 1 : position >= size ? 2 * size - position - 1 : position;
    }

    @Test
    void randomCropsStayWithinFourPixelsAndRepeatWithTheSeed() {
        NDArray images = manager.randomUniform(0, 1, new Shape(64, 3, 32, 32));
        NDArray once = new Augmentation.RandomCrop(4, 11).transform(images);
        NDArray again = new Augmentation.RandomCrop(4, 11).transform(images);
        assertArrayEquals(once.toFloatArray(), again.toFloatArray(), "the same seed, the same crops");
        // Every output pixel is some input pixel of the same image and channel (whole-pixel shifts copy exactly).
        float[] in = images.toFloatArray();
        float[] out = once.toFloatArray();
        int changed = 0;
        for (int i = 0; i < 64; i++) {
            boolean moved = false;
            for (int p = 0; p < 3 * 1024; p++) moved |= out[i * 3072 + p] != in[i * 3072 + p];
            if (moved) changed++;
            // The centre pixel (16, 16) comes from at most 4 pixels away.
            float centre = out[i * 3072 + 16 * 32 + 16];
            boolean near = false;
            for (int dy = -4; dy <= 4; dy++) for (int dx = -4; dx <= 4; dx++) near |= in[i * 3072 + (16 + dy) * 32 + 16 + dx] == centre;
            assertTrue(near, "image " + i);
        }
        assertTrue(changed > 48, "most of 64 images moved (9 x 9 shifts, one of them none): " + changed);
    }

    @Test
    void eachIngredientCanBeLeftOutAndNothingElseChanges() {
        Recipe modern = Recipe.MODERN;
        assertEquals(0, modern.without(List.of("momentum")).momentum());
        assertFalse(modern.without(List.of("momentum")).nesterov());
        assertEquals(0, modern.without(List.of("schedule")).warmupEpochs());
        assertEquals(modern.learningRate() / 2, modern.without(List.of("schedule")).learningRate(), "the schedule's mean rate");
        assertEquals(0, modern.without(List.of("label-smoothing")).labelSmoothing());
        assertEquals(TutorialRun.Augmented.NONE, modern.without(List.of("augmentation")).augmented());
        assertFalse(modern.without(List.of("flip-at-test")).flipAtTest());
        assertTrue(modern.without(List.of("flip-at-test")).shiftAtTest());
        assertFalse(modern.without(List.of("shift-at-test")).shiftAtTest());
        assertEquals(6, modern.looks().count());
        assertEquals(1, modern.without(List.of("flip-at-test", "shift-at-test")).looks().count());
        assertFalse(modern.without(List.of("residual")).residual());
        assertEquals(modern, modern.without(List.of()));
        assertEquals(modern.batchSize(), modern.without(Recipe.INGREDIENTS).batchSize());
        String message = assertThrows(BadInputException.class, () -> modern.without(List.of("dropout"))).getMessage();
        assertTrue(message.contains("--without") && message.contains("dropout") && message.contains("label-smoothing"), message);
    }

    @Test
    void theResidualNetworkGivesTenScoresAndLosesItsResidualBlocksWhenAsked() {
        Shape image = new Shape(3, 32, 32);
        try (Model full = Models.create(Models.CIFAR10_RESNET, Models.cifarResNet(true), image);
                Model plain = Models.create(Models.CIFAR10_RESNET, Models.cifarResNet(false), image)) {
            long withBlocks = Models.parameterCount(full.getBlock());
            long without = Models.parameterCount(plain.getBlock());
            assertTrue(without < withBlocks, without + " parameters without residual blocks, " + withBlocks + " with");
            NDArray batch = manager.randomUniform(0, 1, Models.batchOf(2, image));
            NDArray scores = full.getBlock().forward(new ai.djl.training.ParameterStore(manager, false), new NDList(batch), false).head();
            assertEquals(new Shape(2, 10), scores.getShape());
        }
    }

    @Test
    void nesterovMomentumStepsAsIfTheVelocityHadAlreadyMovedTheWeight() {
        for (boolean nesterov : new boolean[] {false, true}) {
            ai.djl.training.optimizer.Optimizer sgd = Training.config(Tracker.fixed(0.1f), 0, 0, 0.9f, nesterov, 0,
                    new ai.djl.Device[] {ai.djl.Device.cpu()}).getOptimizer();
            NDArray weight = manager.create(new float[] {1f});
            sgd.update("w", weight, manager.create(new float[] {1f}));
            // velocity -0.1; plain: w + v; Nesterov: w + 0.9 v - 0.1
            assertEquals(nesterov ? 0.81f : 0.9f, weight.getFloat(0), 1e-6, "first step, nesterov " + nesterov);
            sgd.update("w", weight, manager.create(new float[] {1f}));
            // velocity 0.9 (-0.1) - 0.1 = -0.19
            assertEquals(nesterov ? 0.539f : 0.71f, weight.getFloat(0), 1e-6, "second step, nesterov " + nesterov);
        }
    }
}
