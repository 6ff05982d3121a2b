import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import lib.FashionMnist;
import lib.History;
import lib.LabeledImages;
import lib.Models;
import lib.Training;
import org.junit.jupiter.api.Test;

class TrainingTest {
    /** Images whose class is their brightness: class 0 dark (pixels 20-60), class 1 bright (180-220). */
    private static LabeledImages brightnessClasses(int count, int seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[count * 28 * 28];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            int label = random.nextInt(2);
            labels[i] = (byte) label;
            for (int p = 0; p < 28 * 28; p++) {
                pixels[i * 784 + p] = (byte) (40 + 160 * label + random.nextInt(41) - 20);
            }
        }
        return new LabeledImages(pixels, labels, 28, 28, 1, FashionMnist.CLASS_NAMES);
    }

    /**
     * With --gpus N, DJL gives each device 1/N of a batch and adds up the N gradients of their mean
     * losses, which is N times the gradient of the batch's mean loss; the optimizer scales it back.
     * (No GPU here, and DJL counts all CPUs as one device: the devices are only counted.)
     */
    @Test
    void onNDevicesEachStepScalesTheSummedGradientsByOneOverN() {
        ai.djl.Device cpu = ai.djl.Device.cpu();
        for (int devices = 1; devices <= 4; devices++) {
            ai.djl.Device[] split = new ai.djl.Device[devices];
            java.util.Arrays.fill(split, cpu);
            ai.djl.training.optimizer.Optimizer sgd = Training.sgdConfig(0.1f, 0f, 0f, split).getOptimizer();
            try (NDManager manager = NDManager.newBaseManager()) {
                ai.djl.ndarray.NDArray weight = manager.create(new float[] {1f});
                sgd.update("w", weight, manager.create(new float[] {devices})); // the sum of N gradients of 1
                assertEquals(1f - 0.1f, weight.getFloat(0), 1e-6, devices + " devices");
            }
        }
    }

    /** The first layer's weights after three SGD steps on one batch, from the same starting weights. */
    private static float[] afterThreeSteps(float momentum) {
        Engine.getInstance().setRandomSeed(1);
        Shape imageShape = new Shape(1, 28, 28);
        try (Model model = Models.create(Models.FASHION_MNIST, Models.fashionMnistCnn(), imageShape);
                NDManager manager = NDManager.newBaseManager();
                ai.djl.training.Trainer trainer = model.newTrainer(
                        Training.sgdConfig(0.1f, 0.01f, momentum, lib.Engines.devices(null)))) {
            trainer.initialize(Models.batchOf(8, imageShape));
            ai.djl.training.dataset.Batch batch = brightnessClasses(8, 4).inOrder(manager, 8).getData(manager).iterator().next();
            for (int step = 0; step < 3; step++) {
                ai.djl.training.EasyTrain.trainBatch(trainer, batch);
                trainer.step();
            }
            return model.getBlock().getParameters().valueAt(0).getArray().toFloatArray();
        } catch (java.io.IOException | ai.djl.translate.TranslateException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * --momentum uses the course's own optimizer (DJL's keeps its velocities to itself). With a
     * momentum too small to matter it must take DJL's SGD steps; with 0.9 it must differ.
     */
    @Test
    void momentumNextToNothingStepsAsDjlsSgdAndRealMomentumDoesNot() {
        float[] djl = afterThreeSteps(0);
        float[] tiny = afterThreeSteps(1e-9f);
        float[] real = afterThreeSteps(0.9f);
        for (int i = 0; i < djl.length; i++) assertEquals(djl[i], tiny[i], 1e-6, "weight " + i);
        double largest = 0;
        for (int i = 0; i < djl.length; i++) largest = Math.max(largest, Math.abs(djl[i] - real[i]));
        assertTrue(largest > 1e-4, "momentum 0.9 changed the weights by only " + largest);
    }

    /**
     * Velocities read back from a checkpoint must be the optimizer's own arrays: on PyTorch an array
     * read from bytes lives in Java's memory, which Java frees and reuses once the array read is
     * closed and collected (a resumed run then crashed, or went on with garbage for velocities).
     */
    @Test
    void velocitiesPutBackFromACheckpointOutliveTheArraysTheyWereReadInto() throws InterruptedException {
        Shape imageShape = new Shape(1, 28, 28);
        ai.djl.training.DefaultTrainingConfig config = Training.sgdConfig(0.1f, 0, 0.9f, lib.Engines.devices(null));
        Training.KeepsVelocities optimizer = (Training.KeepsVelocities) config.getOptimizer();
        try (Model model = Models.create(Models.FASHION_MNIST, Models.fashionMnistCnn(), imageShape);
                ai.djl.training.Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(Models.batchOf(8, imageShape));
            Random random = new Random(3);
            ai.djl.ndarray.NDList written = new ai.djl.ndarray.NDList();
            List<float[]> expected = new java.util.ArrayList<>();
            for (var parameter : model.getBlock().getParameters()) {
                Shape shape = parameter.getValue().getArray().getShape();
                float[] values = new float[(int) shape.size()];
                for (int i = 0; i < values.length; i++) values[i] = random.nextFloat();
                expected.add(values);
                written.add(model.getNDManager().create(values, shape));
                written.get(written.size() - 1).setName(parameter.getKey());
            }
            byte[] checkpoint = written.encode();
            written.close();
            optimizer.restore(model, ai.djl.ndarray.NDList.decode(model.getNDManager(), checkpoint), trainer.getDevices());
            // The arrays read are closed now: let Java collect them, and fill memory it hands out again.
            for (int round = 0; round < 20; round++) {
                System.gc();
                Thread.sleep(20);
                java.nio.ByteBuffer reused = java.nio.ByteBuffer.allocateDirect(checkpoint.length);
                while (reused.hasRemaining()) reused.put((byte) 0x7F);
            }
            ai.djl.ndarray.NDList restored = optimizer.velocities(model);
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), restored.get(i).toFloatArray(), "velocity " + restored.get(i).getName());
            }
        }
    }

    @Test
    void fitLowersTheLossAndRecordsOneRowAnEpoch() {
        Engine.getInstance().setRandomSeed(42);
        Shape imageShape = new Shape(1, 28, 28);
        LabeledImages train = brightnessClasses(128, 1);
        LabeledImages validation = brightnessClasses(64, 2);
        try (Model model = Models.create(Models.FASHION_MNIST, Models.fashionMnistCnn(), imageShape);
                NDManager manager = NDManager.newBaseManager()) {
            int epochs = 8;
            History history = Training.fit(model, train.shuffled(manager, 8, 42), validation.inOrder(manager, 8),
                    epochs, 8, imageShape);

            assertEquals(epochs, history.epochs());
            assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, history.column("epoch"));
            assertEquals(List.of("epoch", "loss", "accuracy", "val_loss", "val_accuracy", "seconds"),
                    history.table().columnNames());
            double[] loss = history.column("loss");
            double[] validationLoss = history.column("val_loss");
            // Ten outputs, untrained: about ln 10 = 2.3 at first.
            assertTrue(loss[0] > 1.0 && loss[0] < 3.0, "first loss " + loss[0]);
            assertTrue(loss[epochs - 1] < 0.8 * loss[0], "loss did not fall: " + java.util.Arrays.toString(loss));
            assertTrue(validationLoss[epochs - 1] < 0.8 * validationLoss[0],
                    "validation loss did not fall: " + java.util.Arrays.toString(validationLoss));
            for (String column : List.of("accuracy", "val_accuracy")) {
                for (double value : history.column(column)) assertTrue(value >= 0 && value <= 1, column + " " + value);
            }
            // Two brightness levels are easy to tell apart: the network has learnt them.
            assertTrue(history.last("val_accuracy") >= 0.9, "validation accuracy " + history.last("val_accuracy"));
            for (double seconds : history.column("seconds")) assertTrue(seconds >= 0, "seconds " + seconds);
            // On MXNet the training scripts' route runs the network as one graph (128 images: batches of 8).
            if (model.getBlock() instanceof lib.mxnet.HybridSequentialBlock graph) {
                assertTrue(graph.trainsAsGraph(Models.batchOf(8, imageShape)));
            } else {
                assertEquals(lib.Engines.Name.PyTorch, lib.Engines.chosen());
            }
        }
    }

    @Test
    void progressIsPrintedInKerasFormat() {
        Engine.getInstance().setRandomSeed(3);
        Shape imageShape = new Shape(1, 28, 28);
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        History history;
        try (Model model = Models.create(Models.FASHION_MNIST, Models.fashionMnistCnn(), imageShape);
                NDManager manager = NDManager.newBaseManager()) {
            System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            // 100 images at batch 32: three full batches and one of 4, as Keras counts them.
            history = Training.fit(model, brightnessClasses(100, 4).shuffled(manager, 32, 42),
                    brightnessClasses(40, 5).inOrder(manager, 32), 2, 32, imageShape);
        } finally {
            System.setOut(original);
        }
        List<String> lines = captured.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        assertEquals(4, lines.size(), String.join("\n", lines)); // no live bar: the output is not a terminal
        assertEquals("Epoch 1/2", lines.get(0));
        assertEquals("Epoch 2/2", lines.get(2));
        String number = "\\d+\\.\\d{4}";
        String epochLine = "4/4 \\[={30}\\] - \\d+s \\d+ms/step - loss: " + number + " - accuracy: " + number
                + " - val_loss: " + number + " - val_accuracy: " + number;
        assertTrue(lines.get(1).matches(epochLine), lines.get(1));
        assertTrue(lines.get(3).matches(epochLine), lines.get(3));
        // The line shows the history's numbers, rounded to four decimals.
        for (int epoch = 0; epoch < 2; epoch++) {
            String line = lines.get(2 * epoch + 1);
            for (String column : List.of("loss", "accuracy", "val_loss", "val_accuracy")) {
                String shown = String.format(java.util.Locale.ROOT, "%.4f", history.column(column)[epoch]);
                assertTrue(line.contains(" " + column + ": " + shown), column + " " + shown + " in " + line);
            }
        }
    }
}
