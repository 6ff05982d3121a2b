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
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.tracker.Tracker;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import java.util.List;
import lib.Augmentation;
import lib.LabeledImages;
import lib.Muon;
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
    void everyRateFallsInAStraightLineToZeroAndTheWhiteningBiasesWithinItsSteps() {
        try (Model model = whitenedModel()) {
            Block net = model.getBlock();
            // Filters by SGD without momentum or decay, so a step is rate x batch x gradient (summed loss).
            Muon sgd = new Muon(net, true, false, 0.5f, 0, 0, 2, 1, 40, 10, 0);
            String filters = nameOf(net, 2); // the first 3x3 convolution's weights
            String whiteningBias = nameOf(net, 1);
            float[] sizes = new float[41], biasSizes = new float[41];
            for (int step = 0; step <= 40; step++) {
                sizes[step] = stepSize(sgd, net, filters);
                biasSizes[step] = stepSize(sgd, net, whiteningBias);
            }
            assertEquals(0.5f * 2, sizes[0], 1e-5, "the first step: the full rate");
            assertEquals(0.5f * 2 / 2, sizes[20], 1e-5, "half way: half the rate");
            assertEquals(0, sizes[40], 1e-6, "zero at the last step");
            for (int step = 1; step <= 40; step++) assertTrue(sizes[step] < sizes[step - 1], "step " + step);
            assertTrue(biasSizes[5] > 0 && biasSizes[10] == 0 && biasSizes[30] == 0, "the whitening bias stops after its steps");
        }
    }

    /** The change one update with gradient one makes to the first number of the parameter called {@code name}. */
    private static float stepSize(Muon optimizer, Block net, String name) {
        Parameter parameter = net.getParameters().get(name);
        NDArray weight = parameter.getArray();
        float before = weight.toFloatArray()[0];
        try (NDArray gradient = weight.onesLike()) {
            optimizer.update(parameter.getId(), weight, gradient);
        }
        return before - weight.toFloatArray()[0];
    }

    private static String nameOf(Block net, int index) {
        return net.getParameters().keys().get(index);
    }

    /** {@link Muon#orthogonalised} as airbench writes it, each step on the whole matrix: what the short way must equal. */
    private static NDArray orthogonalisedStepByStep(NDArray g) {
        boolean tall = g.getShape().get(0) > g.getShape().get(1);
        NDArray x = g.div(g.norm().add(1e-7f));
        if (tall) x = x.transpose();
        for (int i = 0; i < 3; i++) {
            NDArray a = x.matMul(x.transpose());
            NDArray b = a.mul(-4.7750f).add(a.matMul(a).mul(2.0315f));
            x = x.mul(3.4445f).add(b.matMul(x));
        }
        return tall ? x.transpose() : x;
    }

    private static Model whitenedModel() {
        return Models.create(Models.CIFAR10_WHITENED, Models.cifarWhitened(), new Shape(3, 32, 32));
    }

    @Test
    void muonTurnsTheFiltersStepIntoOneWhoseDirectionsAllMoveAboutAsFar() {
        // Rows of different sizes: a step that would move some directions ten times as far as others.
        NDArray gradient = manager.randomNormal(new Shape(64, 288)).mul(manager.linspace(1f, 10f, 64).reshape(64, 1));
        double[] before = singularValues(gradient);
        assertTrue(before[0] / before[63] > 5, "the gradient's own values are spread: " + before[0] + " to " + before[63]);
        for (NDArray step : List.of(Muon.orthogonalised(gradient), Muon.orthogonalised(gradient.transpose()))) {
            double[] values = singularValues(step);
            assertEquals(64, values.length);
            for (double value : values) assertTrue(value > 0.5 && value < 1.5, "singular value " + value);
        }
    }

    @Test
    void muonsShortWayGivesTheSameStepAsNewtonSchulzOnTheWholeMatrix() {
        for (Shape shape : List.of(new Shape(64, 288), new Shape(288, 64), new Shape(256, 2304))) {
            NDArray gradient = manager.randomNormal(shape).mul(manager.randomUniform(0.1f, 10f, new Shape(shape.get(0), 1)));
            NDArray shortWay = Muon.orthogonalised(gradient), stepByStep = orthogonalisedStepByStep(gradient);
            float largest = stepByStep.abs().max().getFloat();
            float difference = shortWay.sub(stepByStep).abs().max().getFloat();
            assertTrue(difference < 1e-4f * largest, shape + ": differs by " + difference + " where entries reach " + largest);
        }
    }

    private static double[] singularValues(NDArray matrix) {
        int rows = (int) matrix.getShape().get(0), columns = (int) matrix.getShape().get(1);
        float[] values = matrix.toFloatArray();
        double[][] data = new double[rows][columns];
        for (int r = 0; r < rows; r++) for (int c = 0; c < columns; c++) data[r][c] = values[r * columns + c];
        return new SingularValueDecomposition(MatrixUtils.createRealMatrix(data)).getSingularValues();
    }

    @Test
    void muonRescalesAndStepsTheFiltersAndLeavesTheWhiteningFiltersAndTheScalesAlone() {
        try (Model model = whitenedModel()) {
            Block net = model.getBlock();
            Muon muon = new Muon(net, true, true, 0.1f, 0.6f, 0, 2, 1, 100, 10, 0);
            for (var named : net.getParameters()) {
                Parameter parameter = named.getValue();
                NDArray weight = parameter.getArray();
                float[] before = weight.toFloatArray();
                muon.update(parameter.getId(), weight, manager.randomNormal(weight.getShape()));
                boolean moved = !java.util.Arrays.equals(before, weight.toFloatArray());
                boolean frozen = named.getKey().equals(nameOf(net, 0)) || parameter.getType() == Parameter.Type.GAMMA;
                assertEquals(!frozen, moved, named.getKey());
                if (!frozen && weight.getShape().dimension() == 4) {
                    // Rescaled to norm sqrt(filters); then a step of 0.1 times a matrix of singular values below 1.5.
                    double expected = Math.sqrt(weight.getShape().get(0));
                    double norm = weight.norm().getFloat();
                    assertEquals(expected, norm, 0.1 * 1.5 * expected, named.getKey());
                }
            }
        }
    }

    @Test
    void theSgdPartStepsAsNesterovSgdWithWeightDecayOnTheSummedLoss() {
        try (Model model = whitenedModel()) {
            Block net = model.getBlock();
            Muon muon = new Muon(net, true, true, 0.1f, 0.6f, 1e-3f, 4, 1, 1000, 10, 0);
            Parameter head = net.getParameters().get(net.getParameters().size() - 1).getValue(); // the Linear layer's weights
            assertEquals(2, head.getArray().getShape().dimension());
            NDArray weight = head.getArray();
            float w = weight.toFloatArray()[0];
            float rate = Muon.Settings.AIRBENCH.headRate(), momentum = Muon.Settings.AIRBENCH.otherMomentum();
            float decay = 1e-3f * 4 / rate;
            float velocity = 0;
            for (int step = 0; step < 3; step++) {
                try (NDArray gradient = weight.onesLike().mul(0.25f)) {
                    muon.update(head.getId(), weight, gradient);
                }
                float summed = 4 * 0.25f + decay * w;      // the summed loss's gradient, plus decay
                velocity = momentum * velocity + summed;
                w -= rate * (1 - step / 1000f) * (summed + momentum * velocity);
                assertEquals(w, weight.toFloatArray()[0], 1e-5, "step " + (step + 1));
            }
        }
    }

    @Test
    void optimizersCountStepsForEachDeviceOnItsOwn() {
        // DJL updates each device's copy of a parameter in turn, one optimizer call a device: counted
        // together, the calls would run a schedule as many times too fast.
        ai.djl.Device gpu0 = ai.djl.Device.gpu(0), gpu1 = ai.djl.Device.gpu(1);
        assertFalse(Training.stepCounter("w", gpu0).equals(Training.stepCounter("w", gpu1)));
        assertEquals(Training.stepCounter("w", gpu0), Training.stepCounter("w", ai.djl.Device.gpu(0)));
        assertFalse(Training.stepCounter("w", gpu0).equals(Training.stepCounter("v", gpu0)));
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
        assertTrue(modern.whitening() && modern.muon() && modern.byKind());
        assertFalse(modern.without(List.of("whitening")).whitening());
        assertTrue(modern.without(List.of("whitening")).muon());
        assertFalse(modern.without(List.of("muon")).muon());
        assertEquals(Muon.SGD_FILTER_RATE, modern.without(List.of("muon")).learningRate(), "airbench94's SGD rate for the filters");
        assertTrue(modern.without(List.of("whitening", "muon")).byKind(), "still lesson 12's optimizer, all by SGD");
        assertEquals(0, modern.without(List.of("label-smoothing")).labelSmoothing());
        assertEquals(TutorialRun.Augmented.NONE, modern.without(List.of("augmentation")).augmented());
        assertEquals(TutorialRun.Augmented.CROP_AND_FLIP, modern.without(List.of("alternating-flip")).augmented());
        assertFalse(modern.without(List.of("flip-at-test")).flipAtTest());
        assertTrue(modern.without(List.of("flip-at-test")).shiftAtTest());
        assertFalse(modern.without(List.of("shift-at-test")).shiftAtTest());
        assertEquals(6, modern.looks().count());
        assertEquals(1, modern.without(List.of("flip-at-test", "shift-at-test")).looks().count());
        assertEquals(modern, modern.without(List.of()));
        assertEquals(modern.batchSize(), modern.without(Recipe.INGREDIENTS).batchSize());
        assertFalse(Recipe.TUTORIAL.byKind(), "the tutorial's runs: one SGD for all");
        String message = assertThrows(BadInputException.class, () -> modern.without(List.of("dropout"))).getMessage();
        assertTrue(message.contains("--without") && message.contains("dropout") && message.contains("label-smoothing"), message);
    }

    @Test
    void theWhitenedNetworkGivesTenScoresAndItsFirstLayerWhitensThePatches() {
        LabeledImages images = correlatedImages(200, 7);
        try (Model model = whitenedModel()) {
            Models.startWhitened(model.getBlock(), images, true);
            NDArray batch = images.toTensor(manager);
            ParameterStore parameters = new ParameterStore(manager, false);
            NDArray scores = model.getBlock().forward(parameters, new NDList(batch.get("0:2")), false).head();
            assertEquals(new Shape(2, 10), scores.getShape());
            // The first layer's first eight outputs over all patches: uncorrelated, each of mean square
            // one (a little less for the weaker directions, which the epsilon keeps from being blown up).
            Conv2d whitening = Models.firstConvolution(model.getBlock());
            NDArray out = whitening.forward(parameters, new NDList(batch), false).head(); // (N, 16, 31, 31)
            NDArray eight = out.get(":, 0:8").transpose(1, 0, 2, 3).reshape(8, -1);
            float[] products = eight.matMul(eight.transpose()).div(eight.getShape().get(1)).toFloatArray();
            for (int a = 0; a < 8; a++) {
                for (int b = 0; b < 8; b++) {
                    float product = products[a * 8 + b];
                    String which = "mean product of outputs " + a + " and " + b + ": " + product;
                    assertTrue(a == b ? product > 0.5 && product < 1.001 : Math.abs(product) < 0.01, which);
                }
            }
            assertTrue(products[0] > 0.99, "the strongest direction: " + products[0]);
            assertEquals(0, out.get(":, 8:16").add(out.get(":, 0:8")).abs().max().getFloat(), 1e-4, "filters 8-15 are 0-7 negated");
        }
    }

    /** Images whose neighbouring pixels and channels are strongly correlated, as photographs' are. */
    private static LabeledImages correlatedImages(int count, long seed) {
        java.util.Random random = new java.util.Random(seed);
        byte[] pixels = new byte[count * 32 * 32 * 3];
        for (int i = 0; i < count; i++) {
            double level = 30 + random.nextDouble() * 150, slope = random.nextGaussian() * 2;
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    double value = level + slope * (x - 16) + random.nextGaussian() * 8;
                    for (int c = 0; c < 3; c++) {
                        double tinted = value * (0.8 + 0.1 * c) + random.nextGaussian() * 4;
                        pixels[((i * 32 + y) * 32 + x) * 3 + c] = (byte) Math.max(0, Math.min(255, Math.round(tinted)));
                    }
                }
            }
        }
        return new LabeledImages(pixels, new byte[count], 32, 32, 3, lib.Cifar10.CLASS_NAMES);
    }

    @Test
    void flipsAlternateSoThatEveryImageIsSeenBothWaysInTwoEpochs() {
        LabeledImages images = correlatedImages(64, 3);
        NDArray original = images.toTensor(manager);
        NDArray mirrored = original.flip(3);
        NDArray start = images.halfMirrored(5).toTensor(manager);
        int flipped = 0;
        for (int i = 0; i < 64; i++) {
            boolean same = start.get(i).contentEquals(original.get(i));
            assertTrue(same || start.get(i).contentEquals(mirrored.get(i)), "image " + i + " is itself or its mirror image");
            if (!same) flipped++;
        }
        assertTrue(flipped > 16 && flipped < 48, "about half mirrored: " + flipped);
        Augmentation.AlternatingFlip alternate = new Augmentation.AlternatingFlip(9);
        alternate.startEpoch(1);
        assertArrayEquals(start.toFloatArray(), alternate.transform(start).toFloatArray(), "odd epochs: as they are");
        alternate.startEpoch(2);
        assertArrayEquals(start.flip(3).toFloatArray(), alternate.transform(start).toFloatArray(), "even epochs: all mirrored");
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
