import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import lib.FashionMnist;
import lib.History;
import lib.LabeledImages;
import lib.Models;
import lib.Training;
import lib.TrainingLoop;
import org.junit.jupiter.api.Test;

/** The loop written out in lesson 3 trains exactly as the scripts' Training.fit does. */
class TrainingLoopTest {
    private static LabeledImages images(int count, int seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[count * 28 * 28];
        random.nextBytes(pixels);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) labels[i] = (byte) random.nextInt(10);
        return new LabeledImages(pixels, labels, 28, 28, 1, FashionMnist.CLASS_NAMES);
    }

    private static List<float[]> weights(Model model) {
        List<float[]> arrays = new ArrayList<>();
        for (Parameter parameter : model.getBlock().getParameters().values()) arrays.add(parameter.getArray().toFloatArray());
        return arrays;
    }

    @Test
    void theWrittenOutLoopGivesTheScriptsLossesAndWeights() throws Exception {
        Shape shape = new Shape(1, 28, 28);
        LabeledImages train = images(100, 1); // batches of 16: six full ones and one of 4
        LabeledImages validation = images(20, 2);
        int epochs = 2;

        Engine.getInstance().setRandomSeed(9);
        History history;
        List<float[]> expected;
        PrintStream original = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream()));
        try (Model model = Models.create(Models.FASHION_MNIST, Models.fashionMnistCnn(), shape);
                NDManager manager = NDManager.newBaseManager()) {
            history = Training.fit(model, train.shuffled(manager, 16, 42), validation.inOrder(manager, 16), epochs, 16, shape);
            expected = weights(model);
        } finally {
            System.setOut(original);
        }

        Engine.getInstance().setRandomSeed(9);
        try (Model model = Models.create(Models.FASHION_MNIST, Models.fashionMnistCnn(), shape);
                Trainer trainer = model.newTrainer(Training.sgdConfig());
                NDManager manager = NDManager.newBaseManager()) {
            trainer.initialize(Models.batchOf(16, shape));
            var shuffled = train.shuffled(manager, 16, 42);
            for (int epoch = 1; epoch <= epochs; epoch++) {
                shuffled.startEpoch(epoch);
                double loss = TrainingLoop.trainOneEpoch(trainer, shuffled);
                assertEquals(history.column("loss")[epoch - 1], loss, 1e-6, "epoch " + epoch + "'s mean loss");
            }
            List<float[]> actual = weights(model);
            for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), actual.get(i), "weights " + i);
        }
    }
}
