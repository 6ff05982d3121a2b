import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.IntBinaryOperator;
import lib.Evaluation;
import lib.FashionMnist;
import lib.LabeledImages;
import lib.Models;
import lib.Training;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class EvaluationTest {
    /** Class 0 images are dark, class 1 bright; labels in order 0, 1, 0, 1, ... */
    private static LabeledImages darkAndBright(int count) {
        Random random = new Random(7);
        byte[] pixels = new byte[count * 28 * 28];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % 2);
            for (int p = 0; p < 28 * 28; p++) pixels[i * 784 + p] = (byte) (40 + 160 * (i % 2) + random.nextInt(21) - 10);
        }
        return new LabeledImages(pixels, labels, 28, 28, 1, FashionMnist.CLASS_NAMES);
    }

    private static Evaluation evaluateQuietly(Model model, LabeledImages images, int batchSize, StringBuilder printed) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return Evaluation.of(model, images, batchSize);
        } finally {
            System.setOut(original);
            printed.append(captured.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void stepsCountThePartialLastBatchAndEveryImageIsJudged() {
        Engine.getInstance().setRandomSeed(1);
        LabeledImages images = darkAndBright(70);
        try (Model model = Models.create(Models.FASHION_MNIST, Models.fashionMnistCnn(), new Shape(1, 28, 28))) {
            StringBuilder printed = new StringBuilder();
            Evaluation result = evaluateQuietly(model, images, 32, printed);
            assertEquals(3, result.steps()); // 32 + 32 + 6
            assertTrue(printed.toString().contains("3/3 ["), printed.toString());
            Table perClass = result.perClass();
            assertEquals(35, perClass.intColumn("images").get(0));
            assertEquals(35, perClass.intColumn("images").get(1));
            assertEquals(0, perClass.intColumn("images").get(2));
            int correct = (int) perClass.intColumn("correct").sum();
            assertEquals(correct / 70.0, result.accuracy(), 1e-9);
            // An untrained network scores about ln(10) = 2.3 on any image.
            assertTrue(result.loss() > 1.5 && result.loss() < 3.5, "loss " + result.loss());
        }
    }

    @Test
    void aSavedAndReloadedModelScoresTheSame(@TempDir Path dir) throws Exception {
        Engine.getInstance().setRandomSeed(2);
        Shape imageShape = new Shape(1, 28, 28);
        LabeledImages train = darkAndBright(128);
        LabeledImages test = darkAndBright(40);
        StringBuilder printed = new StringBuilder();
        Evaluation before;
        try (Model model = Models.create(Models.FASHION_MNIST, Models.fashionMnistCnn(), imageShape);
                NDManager manager = NDManager.newBaseManager()) {
            PrintStream original = System.out;
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            try {
                Training.fit(model, train.shuffled(manager, 8, 42), test.inOrder(manager, 8), 8, 8, imageShape);
            } finally {
                System.setOut(original);
            }
            before = evaluateQuietly(model, test, 16, printed);
            model.save(dir, model.getName());
        }
        try (Model reloaded = Model.newInstance(Models.FASHION_MNIST)) {
            reloaded.setBlock(Models.fashionMnistCnn());
            reloaded.load(dir, Models.FASHION_MNIST);
            Evaluation after = evaluateQuietly(reloaded, test, 16, printed);
            assertEquals(before.accuracy(), after.accuracy(), 0.0);
            assertEquals(before.loss(), after.loss(), 1e-6);
        }
        assertTrue(before.accuracy() > 0.9, "trained accuracy " + before.accuracy());
    }

    @Test
    void theConfusionMatrixCountsEveryImageAndItsDiagonalIsTheAccuracy() {
        Engine.getInstance().setRandomSeed(4);
        Shape imageShape = new Shape(1, 28, 28);
        LabeledImages test = darkAndBright(70);
        try (Model model = Models.create(Models.FASHION_MNIST, Models.fashionMnistCnn(), imageShape)) {
            Evaluation result = evaluateQuietly(model, test, 16, new StringBuilder());
            int[][] confusion = result.answers().confusion(10);
            int total = 0;
            int diagonal = 0;
            for (int t = 0; t < 10; t++) {
                for (int p = 0; p < 10; p++) total += confusion[t][p];
                diagonal += confusion[t][t];
            }
            assertEquals(70, total);
            assertEquals(result.accuracy(), diagonal / 70.0, 1e-12);
        }
    }

    @Test
    void precisionRecallAndF1FromACountedExample() {
        // Two classes: 8 A's of which 6 found (2 called B), 4 B's of which 3 found (1 called A).
        int[][] confusion = {{6, 2}, {1, 3}};
        tech.tablesaw.api.Table table = Evaluation.Answers.precisionAndRecall(confusion, java.util.List.of("A", "B"));
        assertEquals(0.857, table.doubleColumn("precision").get(0)); // 6 of the 7 called A
        assertEquals(0.75, table.doubleColumn("recall").get(0));     // 6 of the 8 A's
        assertEquals(0.8, table.doubleColumn("f1").get(0));          // 2 * 0.857 * 0.75 / (0.857 + 0.75)
        assertEquals(0.6, table.doubleColumn("precision").get(1));   // 3 of the 5 called B
        assertEquals(0.75, table.doubleColumn("recall").get(1));
        assertEquals(8, table.intColumn("images").get(0));
    }

    /** A "network" whose ten scores are the pixels of its 1 x 3 x 3 image (and a 10th, 0): what it saw, number by number. */
    private static Block pixelsAsScores() {
        return new LambdaBlock(images -> {
            NDArray flat = images.head().reshape(images.head().getShape().get(0), 9);
            return new NDList(flat.concat(flat.getManager().zeros(new Shape(flat.getShape().get(0), 1)), 1));
        }, "pixels");
    }

    @Test
    void sixLooksAverageTheImageItsMirrorAndItsOnePixelShiftsEachMirrored() {
        // Pixel (x, y) of the image is 10 y + x; a shift copies the edge pixel into the uncovered border.
        float[] pixels = new float[9];
        for (int y = 0; y < 3; y++) for (int x = 0; x < 3; x++) pixels[y * 3 + x] = 10 * y + x;
        IntBinaryOperator value = (x, y) -> 10 * Math.max(0, Math.min(2, y)) + Math.max(0, Math.min(2, x));
        float[] expected = new float[10];
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                float sum = 0;
                for (int shift : new int[] {0, 1, -1}) {   // as it is, moved up-left, moved down-right
                    sum += value.applyAsInt(x + shift, y + shift);          // ... and each mirrored:
                    sum += value.applyAsInt(2 - x + shift, y + shift);
                }
                expected[y * 3 + x] = sum / 6;
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray image = manager.create(pixels, new Shape(1, 1, 3, 3));
            ParameterStore parameters = new ParameterStore(manager, false);
            Block network = pixelsAsScores();
            Evaluation.Looks six = new Evaluation.Looks(true, true);
            assertEquals(6, six.count());
            assertArrayEquals(expected, six.scores(network, parameters, image).toFloatArray(), 1e-5f);
            float[] mirrored = Evaluation.Looks.ONE.scores(network, parameters, image.flip(3)).toFloatArray();
            float[] two = new Evaluation.Looks(true, false).scores(network, parameters, image).toFloatArray();
            for (int p = 0; p < 9; p++) assertEquals((pixels[p] + mirrored[p]) / 2, two[p], 1e-5f, "two looks: the image and its mirror");
            assertArrayEquals(new float[] {0, 1, 2, 10, 11, 12, 20, 21, 22, 0},
                    Evaluation.Looks.ONE.scores(network, parameters, image).toFloatArray(), "one look: the image as it is");
        }
    }
}
