import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lib.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsTest {
    private static final Shape GREY = new Shape(1, 28, 28);
    private static final Shape COLOUR = new Shape(3, 32, 32);

    @TempDir Path dir;

    /** Each layer: output shape (without the batch axis) and parameter count, as Keras's summary lists them. */
    private static final List<String> FASHION_LAYERS = List.of(
            "(32, 28, 28) 320", "(32, 28, 28) 0", "(32, 14, 14) 0",
            "(64, 14, 14) 18496", "(64, 14, 14) 0", "(64, 7, 7) 0",
            "(128, 7, 7) 73856", "(128, 7, 7) 0", "(128, 3, 3) 0",
            "(1152) 0", "(64) 73792", "(64) 0", "(10) 650");

    private static final List<String> CIFAR_LAYERS = List.of(
            "(32, 32, 32) 896", "(32, 32, 32) 0", "(32, 16, 16) 0",
            "(64, 16, 16) 18496", "(64, 16, 16) 0", "(64, 8, 8) 0",
            "(128, 8, 8) 73856", "(128, 8, 8) 0", "(128, 4, 4) 0",
            "(256, 4, 4) 295168", "(256, 4, 4) 0", "(256, 2, 2) 0",
            "(1024) 0", "(256) 262400", "(256) 0", "(128) 32896", "(128) 0", "(64) 8256", "(64) 0", "(10) 650");

    @Test
    void fashionMnistCnnMatchesKeras() {
        try (Model model = Models.create(Models.FASHION_MNIST, Models.fashionMnistCnn(), GREY)) {
            assertEquals(167_114, Models.parameterCount(model.getBlock()));
            assertEquals(FASHION_LAYERS, layers(model.getBlock(), GREY));
            String summary = Models.summary(model.getBlock(), GREY);
            assertTrue(summary.contains("Total params: 167,114"), summary);
            assertSummaryLists(summary, FASHION_LAYERS);
        }
    }

    @Test
    void cifarCnnHas692618Parameters() {
        try (Model model = Models.create(Models.CIFAR10, Models.cifarCnn(), COLOUR)) {
            assertEquals(692_618, Models.parameterCount(model.getBlock()));
            assertEquals(CIFAR_LAYERS, layers(model.getBlock(), COLOUR));
            String summary = Models.summary(model.getBlock(), COLOUR);
            assertTrue(summary.contains("Total params: 692,618"), summary);
            assertSummaryLists(summary, CIFAR_LAYERS);
        }
    }

    /** Chains getOutputShapes through the layers, independently of Models.summary. */
    private static List<String> layers(Block net, Shape image) {
        List<String> layers = new ArrayList<>();
        Shape[] shapes = {Models.batchOf(1, image)};
        for (Pair<String, Block> child : net.getChildren()) {
            shapes = child.getValue().getOutputShapes(shapes);
            assertEquals(1, shapes[0].get(0));
            long count = child.getValue().getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
            layers.add(shapes[0].slice(1) + " " + count);
        }
        return layers;
    }

    /** The summary has one row a layer, in order, each with that layer's shape and its count with thousands separators. */
    private static void assertSummaryLists(String summary, List<String> layers) {
        List<String> rows = summary.lines().filter(line -> line.matches(".*_\\d\\d \\(.*")).toList();
        assertEquals(layers.size(), rows.size(), summary);
        for (int i = 0; i < layers.size(); i++) {
            String shape = layers.get(i).substring(0, layers.get(i).lastIndexOf(' '));
            long count = Long.parseLong(layers.get(i).substring(layers.get(i).lastIndexOf(' ') + 1));
            String row = rows.get(i);
            assertTrue(row.contains(" " + shape + " "), row);
            assertTrue(row.strip().endsWith(String.format("%,d", count)), row);
        }
        assertTrue(rows.get(0).startsWith("conv2d_01 (Conv2d)"), rows.get(0));
        assertTrue(rows.get(1).contains("(ReLU)"), rows.get(1));
        assertTrue(rows.get(2).contains("(maxPool2d)"), rows.get(2));
    }

    @Test
    void weightsAreGlorotUniformAndBiasesZero() {
        Engine.getInstance().setRandomSeed(1);
        try (Model model = Models.create(Models.CIFAR10, Models.cifarCnn(), COLOUR)) {
            int weights = 0;
            for (Pair<String, Parameter> pair : model.getBlock().getParameters()) {
                Parameter parameter = pair.getValue();
                NDArray array = parameter.getArray();
                float maxAbs = array.abs().max().getFloat();
                if (parameter.getType() == Parameter.Type.BIAS) {
                    assertEquals(0f, maxAbs, 0f, pair.getKey());
                    continue;
                }
                assertEquals(Parameter.Type.WEIGHT, parameter.getType(), pair.getKey());
                weights++;
                Shape shape = array.getShape();
                long receptive = shape.dimension() > 2 ? shape.slice(2).size() : 1;
                double limit = Math.sqrt(6.0 / (shape.get(1) * receptive + shape.get(0) * receptive));
                assertTrue(maxAbs <= limit * (1 + 1e-6), pair.getKey() + ": max |w| " + maxAbs + " over " + limit);
                // Uniform, not something narrower: the extremes come close to the limit, and the
                // standard deviation is limit / sqrt(3).
                assertTrue(maxAbs > 0.95 * limit, pair.getKey() + ": max |w| " + maxAbs + " far below " + limit);
                double std = Math.sqrt(array.pow(2).mean().getFloat());
                assertEquals(limit / Math.sqrt(3), std, 0.06 * limit, pair.getKey());
            }
            assertEquals(8, weights);
        }
    }

    @Test
    void theFirstConvolutionIsFoundInsideNestedBlocksAndDenseNetworksHaveNone() {
        assertEquals(32, Models.firstConvolution(Models.network(Models.CIFAR10)).getFilters());
        // Lesson 12's network starts with its whitening layer.
        assertEquals(lib.Whitening.FILTERS, Models.firstConvolution(Models.network(Models.CIFAR10_WHITENED)).getFilters());
        assertNull(Models.firstConvolution(Models.network(Models.FASHION_MNIST_DENSE)));
    }
}
