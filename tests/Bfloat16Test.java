import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import lib.Bfloat16;
import lib.Engines;
import lib.Models;
import lib.TutorialRun.Recipe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lesson 12's network in bfloat16: close to float32's numbers, the same weights. */
class Bfloat16Test {
    private static final Shape IMAGE = new Shape(3, 32, 32);
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
    void theRecipeAsksForBfloat16AndItsAblationDoesNot() {
        assertTrue(Recipe.MODERN.bfloat16());
        assertFalse(Recipe.MODERN.without(List.of("bfloat16")).bfloat16());
        assertTrue(Recipe.MODERN.without(List.of("muon")).bfloat16());
        assertFalse(Recipe.TUTORIAL.bfloat16());
        try (Model tutorial = Models.create(Models.CIFAR10, Models.cifarCnn(), IMAGE)) {
            assertFalse(Bfloat16.use(tutorial.getBlock(), true), "the tutorial's network has no layers that switch");
        }
    }

    @Test
    void onPyTorchTheNetworkStaysInFloat32AndTheCastRefusesInsteadOfEndingTheProcess() {
        assumeTrue(Engines.chosen() == Engines.Name.PyTorch, "DJL's PyTorch engine has no bfloat16 cast");
        assertFalse(Engines.bfloat16Fast());
        try (Model model = whitenedModel()) {
            assertFalse(Bfloat16.use(model.getBlock(), true), "the recipe asks for bfloat16; PyTorch computes in float32");
        }
        NDArray images = manager.randomUniform(0, 1, Models.batchOf(2, IMAGE));
        UnsupportedOperationException refused = assertThrows(UnsupportedOperationException.class, () -> Engines.toBfloat16(images));
        assertTrue(refused.getMessage().contains("PyTorch computes in float32"), refused.getMessage());
    }

    @Test
    void inBfloat16TheScoresAreFloat32sToAboutThreeDigitsAndTheGradientPointsTheSameWay() {
        assumeTrue(Engines.bfloat16Fast(), "this engine or processor computes in float32 only");
        try (Model model = whitenedModel()) {
            NDArray images = manager.randomUniform(0, 1, Models.batchOf(16, IMAGE));
            float[][] float32 = scoresAndGradient(model, images, false);
            float[][] bfloat16 = scoresAndGradient(model, images, true);
            double error = largestDifference(float32[0], bfloat16[0]) / largestMagnitude(float32[0]);
            assertTrue(error > 0, "the scores in bfloat16 equal float32's bit for bit: nothing was cast");
            assertTrue(error < 0.05, "the scores in bfloat16 are off by " + error + " of their size");
            // A max-pooling may pick another pixel when two are within bfloat16's rounding, and send
            // that pixel's gradient elsewhere: the gradient keeps its direction, not every number.
            double cosine = cosine(float32[1], bfloat16[1]);
            assertTrue(cosine < 1, "the gradient in bfloat16 equals float32's: nothing was cast");
            assertTrue(cosine > 0.9, "the gradient in bfloat16 points elsewhere: cosine " + cosine);
        }
    }

    @Test
    void aNetworkTrainedInBfloat16SavesTheSameFloat32WeightsAsAnyOther() throws Exception {
        assumeTrue(Engines.bfloat16Fast(), "this engine or processor computes in float32 only");
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        float[] trained;
        try (Model model = whitenedModel()) {
            assertTrue(Bfloat16.use(model.getBlock(), true));
            scoresAndGradient(model, manager.randomUniform(0, 1, Models.batchOf(8, IMAGE)), true);
            model.getBlock().saveParameters(new DataOutputStream(saved));
            trained = lastFilters(model).getArray().toFloatArray();
        }
        try (Model fresh = whitenedModel()) {
            fresh.getBlock().loadParameters(fresh.getNDManager(), new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));
            assertFalse(Bfloat16.isOn(fresh.getBlock()), "a loaded network computes in float32 until told otherwise");
            assertArrayEquals(trained, lastFilters(fresh).getArray().toFloatArray());
        }
    }

    private static Model whitenedModel() {
        Engine.getInstance().setRandomSeed(11);
        return Models.create(Models.CIFAR10_WHITENED, Models.cifarWhitened(), IMAGE);
    }

    /**
     * The scores for {@code images} and, for the last 3x3 filters, the gradient of the loss against
     * made-up classes, in bfloat16 or float32.
     */
    private static float[][] scoresAndGradient(Model model, NDArray images, boolean inBfloat16) {
        Bfloat16.use(model.getBlock(), inBfloat16);
        Parameter filters = lastFilters(model);
        try (NDManager pass = images.getManager().newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            filters.getArray().setRequiresGradient(true);
            NDArray scores = model.getBlock().forward(new ParameterStore(pass, false), new NDList(images), true).head();
            NDArray classes = pass.arange(0, (int) images.getShape().get(0)).toType(DataType.FLOAT32, false).mod(10);
            collector.backward(Loss.softmaxCrossEntropyLoss().evaluate(new NDList(classes), new NDList(scores)));
            return new float[][] {scores.toFloatArray(), filters.getArray().getGradient().toFloatArray()};
        }
    }

    private static Parameter lastFilters(Model model) {
        Parameter last = null;
        for (var named : model.getBlock().getParameters()) {
            Shape shape = named.getValue().getArray().getShape();
            if (shape.dimension() == 4 && shape.get(2) == 3) last = named.getValue();
        }
        return last;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(aa * bb);
    }

    private static double largestDifference(float[] a, float[] b) {
        double largest = 0;
        for (int i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i] - b[i]));
        return largest;
    }

    private static double largestMagnitude(float[] values) {
        double largest = 0;
        for (float value : values) largest = Math.max(largest, Math.abs(value));
        return largest;
    }
}
