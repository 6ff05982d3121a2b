import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import lib.mxnet.HybridSequentialBlock;
import lib.Models;
import lib.Training;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HybridSequentialBlockTest {
    @BeforeAll
    static void onlyOnMxnet() {
        Assumptions.assumeTrue(lib.Engines.chosen() == lib.Engines.Name.MXNet, "training as one graph is MXNet's");
    }

    private static final Shape IMAGE = new Shape(1, 12, 12);
    /** Two full batches and a smaller last one, as an epoch ends. */
    private static final int[] BATCH_SIZES = {4, 4, 3};

    private static SequentialBlock layers(SequentialBlock net, boolean batchNorm) {
        net.add(Conv2d.builder().setFilters(4).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).build());
        if (batchNorm) net.add(BatchNorm.builder().build());
        return net.add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(8).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(10).build());
    }

    /**
     * Trains {@code net} on the same batches every time, passing the labels to the forward pass as
     * EasyTrain does or not; returns each step's loss, then every weight.
     */
    private static float[] train(SequentialBlock net, boolean withLabels) {
        return train(net, withLabels, IMAGE);
    }

    private static float[] train(SequentialBlock net, boolean withLabels, Shape image) {
        Engine.getInstance().setRandomSeed(7); // the same starting weights for every network
        List<Float> numbers = new ArrayList<>();
        try (Model model = Models.create("net", net, image);
                Trainer trainer = model.newTrainer(Training.sgdConfig());
                NDManager manager = NDManager.newBaseManager()) {
            trainer.initialize(Models.batchOf(BATCH_SIZES[0], image));
            List<String> names = arrayNames(net); // saved with the weights
            for (int round = 0; round < 2; round++) { // the second round reuses what the first one built
                for (int step = 0; step < BATCH_SIZES.length; step++) {
                    try (NDManager stepManager = manager.newSubManager()) {
                        // The batch from Java's generator: reseeding MXNet's each step would hide a
                        // random layer drawing more or fewer numbers on one path than on the other.
                        java.util.Random random = new java.util.Random(100 * round + step);
                        Shape shape = Models.batchOf(BATCH_SIZES[step], image);
                        float[] pixels = new float[(int) shape.size()];
                        for (int i = 0; i < pixels.length; i++) pixels[i] = random.nextFloat();
                        float[] classes = new float[BATCH_SIZES[step]];
                        for (int i = 0; i < classes.length; i++) classes[i] = random.nextInt(10);
                        NDArray images = stepManager.create(pixels, shape);
                        NDArray labels = stepManager.create(classes);
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDList scores = withLabels
                                    ? trainer.forward(new NDList(images), new NDList(labels))
                                    : trainer.forward(new NDList(images));
                            NDArray loss = trainer.getLoss().evaluate(new NDList(labels), scores);
                            collector.backward(loss);
                            numbers.add(loss.getFloat());
                        }
                        trainer.step();
                    }
                }
            }
            assertEquals(names, arrayNames(net));
            for (Parameter parameter : net.getParameters().values()) {
                for (float value : parameter.getArray().toFloatArray()) numbers.add(value);
            }
        }
        float[] result = new float[numbers.size()];
        for (int i = 0; i < result.length; i++) result[i] = numbers.get(i);
        return result;
    }

    private static List<String> arrayNames(SequentialBlock net) {
        return net.getParameters().values().stream().map(p -> p.getArray().getName()).toList();
    }

    @Test
    void trainsAsOneGraphToTheSameNumbersAsLayerByLayer() {
        assertSameTrainingAsOneGraph(false);
    }

    @Test
    void trainsAsOneGraphWhenTheLabelsComeAlong() {
        assertSameTrainingAsOneGraph(true);
    }

    private static void assertSameTrainingAsOneGraph(boolean withLabels) {
        HybridSequentialBlock hybrid = new HybridSequentialBlock();
        float[] expected = train(layers(new SequentialBlock(), false), withLabels);
        float[] actual = train(layers(hybrid, false), withLabels);

        for (int size : BATCH_SIZES) {
            assertTrue(hybrid.trainsAsGraph(Models.batchOf(size, IMAGE)), "batches of " + size + " ran layer by layer");
        }
        assertArrayEquals(expected, actual, "losses and weights after training");
    }

    @Test
    void batchNormalisationTrainsAsOneGraphWithItsRunningStatistics() {
        HybridSequentialBlock hybrid = new HybridSequentialBlock();
        float[] expected = train(layers(new SequentialBlock(), true), true);
        float[] actual = train(layers(hybrid, true), true);

        for (int size : BATCH_SIZES) {
            assertTrue(hybrid.trainsAsGraph(Models.batchOf(size, IMAGE)), "batches of " + size + " ran layer by layer");
        }
        // The numbers end with every parameter, the running mean and variance among them.
        assertArrayEquals(expected, actual, "losses, weights and running statistics after training");
    }

    @Test
    void lessonTwelvesNetworkAndAResidualOneTrainAsOneGraphToTheSameNumbers() {
        Shape image = new Shape(3, 32, 32);
        List<Supplier<SequentialBlock>> networks = List.of(Models::cifarWhitened, HybridSequentialBlockTest::residualNetwork);
        for (Supplier<SequentialBlock> network : networks) {
            SequentialBlock withGraph = network.get();
            SequentialBlock layerByLayer = withoutGraphs(network);
            assertTrue(withGraph instanceof HybridSequentialBlock);
            assertFalse(layerByLayer instanceof HybridSequentialBlock);

            float[] expected = train(layerByLayer, true, image);
            float[] actual = train(withGraph, true, image);
            for (int size : BATCH_SIZES) {
                assertTrue(((HybridSequentialBlock) withGraph).trainsAsGraph(Models.batchOf(size, image)), "batches of " + size);
            }
            assertArrayEquals(expected, actual, withGraph.getChildren().size() + " layers: losses, weights and running statistics");
        }
    }

    @Test
    void lessonTwelvesNetworkInBfloat16TrainsAsOneGraphToTheSameNumbers() {
        Assumptions.assumeTrue(lib.Engines.bfloat16Fast(), "this processor computes in float32 only");
        Shape image = new Shape(3, 32, 32);
        Supplier<SequentialBlock> inBfloat16 = () -> {
            SequentialBlock net = Models.cifarWhitened();
            assertTrue(lib.Bfloat16.use(net, true));
            return net;
        };
        HybridSequentialBlock withGraph = (HybridSequentialBlock) inBfloat16.get();
        float[] expected = train(withoutGraphs(inBfloat16), true, image);
        float[] actual = train(withGraph, true, image);
        for (int size : BATCH_SIZES) {
            assertTrue(withGraph.trainsAsGraph(Models.batchOf(size, image)), "batches of " + size);
        }
        assertArrayEquals(expected, actual, "losses, weights and running statistics");
        lib.Bfloat16.use(withGraph, false);
        assertFalse(withGraph.trainsAsGraph(Models.batchOf(BATCH_SIZES[0], image)), "a float32 batch would build a graph of its own");
    }

    /**
     * A small ResNet (after David Page's ResNet-9 at a quarter of its width): convolutions with batch
     * normalisation and ReLU, two residual blocks that add their input to their output, global max-pooling.
     */
    private static SequentialBlock residualNetwork() {
        return lib.Engines.sequential()
                .add(normalised(16, false)).add(normalised(32, true)).add(residualBlock(32))
                .add(normalised(64, true)).add(normalised(128, true)).add(residualBlock(128))
                .add(Pool.globalMaxPool2dBlock()).add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(10).build());
    }

    /** A 3x3 convolution without bias, max-pooling 2x2 if {@code pool}, batch normalisation, ReLU. */
    private static SequentialBlock normalised(int filters, boolean pool) {
        SequentialBlock layers = new SequentialBlock()
                .add(Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).optBias(false).build());
        if (pool) layers.add(Pool.maxPool2dBlock(new Shape(2, 2)));
        return layers.add(BatchNorm.builder().build()).add(Activation.reluBlock());
    }

    /** Two convolutions whose output is added to their input: x + f(x). */
    private static ParallelBlock residualBlock(int filters) {
        return new ParallelBlock(branches -> new NDList(branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow())),
                List.of(new SequentialBlock().add(normalised(filters, false)).add(normalised(filters, false)), Blocks.identityBlock()));
    }

    @Test
    void bothTutorialNetworksTrainAsOneGraphToTheSameNumbers() {
        for (boolean cifar : new boolean[] {false, true}) {
            Shape image = cifar ? new Shape(3, 32, 32) : new Shape(1, 28, 28);
            SequentialBlock withGraph = cifar ? Models.cifarCnn() : Models.fashionMnistCnn();
            SequentialBlock layerByLayer = withoutGraphs(() -> cifar ? Models.cifarCnn() : Models.fashionMnistCnn());
            assertTrue(withGraph instanceof HybridSequentialBlock);
            assertFalse(layerByLayer instanceof HybridSequentialBlock, "the switch gives a plain SequentialBlock");

            float[] expected = train(layerByLayer, true, image);
            float[] actual = train(withGraph, true, image);
            for (int size : BATCH_SIZES) {
                assertTrue(((HybridSequentialBlock) withGraph).trainsAsGraph(Models.batchOf(size, image)), "batches of " + size);
            }
            assertArrayEquals(expected, actual, (cifar ? "CIFAR-10" : "Fashion-MNIST") + " losses and weights after training");
        }
    }

    @Test
    void aNetworkWithDropoutTrainsLayerByLayerToTheSameNumbers() {
        java.util.function.Supplier<SequentialBlock> dropout = () -> layers(new HybridSequentialBlock(), false)
                .add(ai.djl.nn.norm.Dropout.builder().optRate(0.5f).build());
        HybridSequentialBlock hybrid = (HybridSequentialBlock) dropout.get();
        SequentialBlock plain = layers(new SequentialBlock(), false).add(ai.djl.nn.norm.Dropout.builder().optRate(0.5f).build());
        float[] expected = train(plain, true);
        float[] actual = train(hybrid, true);

        assertFalse(hybrid.trainsAsGraph(Models.batchOf(BATCH_SIZES[0], IMAGE)));
        assertArrayEquals(expected, actual, "losses and weights after training");
    }

    @Test
    void theSwitchTurnsGraphsOff() {
        HybridSequentialBlock hybrid = new HybridSequentialBlock();
        float[] expected = train(layers(new SequentialBlock(), false), true);
        float[] actual = withoutGraphs(() -> train(layers(hybrid, false), true));
        assertFalse(hybrid.trainsAsGraph(Models.batchOf(BATCH_SIZES[0], IMAGE)));
        assertArrayEquals(expected, actual);
    }

    private static <T> T withoutGraphs(java.util.function.Supplier<T> action) {
        System.setProperty("cnn-lessons.graph", "off");
        try {
            return action.get();
        } finally {
            System.clearProperty("cnn-lessons.graph");
        }
    }
}
