package lib;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/** The tutorial's two CNNs built the way Keras builds them, lesson 12's residual network, and a Keras-style summary. */
public final class Models {
    private Models() {}

    /** The names models are saved under; {@link #load} picks the network by them. */
    public static final String FASHION_MNIST = "fashion-mnist-cnn";
    public static final String CIFAR10 = "cifar10-cnn";
    public static final String FASHION_MNIST_DENSE = "fashion-mnist-dense";
    public static final String CIFAR10_RESNET = "cifar10-resnet";

    /**
     * Keras: Conv2D(32, 3, padding="same", activation="relu"), MaxPooling2D(2), the same with 64
     * and 128 filters, Flatten(), Dense(64, activation="relu"), Dense(10). 167,114 parameters.
     */
    public static SequentialBlock fashionMnistCnn() {
        return fashionMnistCnn(0);
    }

    /** The same with {@code Dropout(rate)} after each pooling and the hidden Dense layer (0: none). */
    public static SequentialBlock fashionMnistCnn(float dropout) {
        return convolutionsThenDense(new int[] {32, 64, 128}, new int[] {64}, dropout);
    }

    /**
     * A fully connected network, no convolutions, for comparison (lesson 3): Keras's
     * {@code Flatten(), Dense(128, activation="relu"), Dense(10)}, the network of Keras's basic image
     * classification example. 101,770 parameters.
     */
    public static SequentialBlock fashionMnistDense() {
        SequentialBlock net = Engines.sequential();
        return net.add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(128).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(10).build());
    }

    /** Four convolution blocks (32, 64, 128, 256 filters), then Dense 256, 128, 64 and 10. */
    public static SequentialBlock cifarCnn() {
        return cifarCnn(0);
    }

    /** The same with {@code Dropout(rate)} after each pooling and each hidden Dense layer (0: none). */
    public static SequentialBlock cifarCnn(float dropout) {
        return convolutionsThenDense(new int[] {32, 64, 128, 256}, new int[] {256, 128, 64}, dropout);
    }

    private static SequentialBlock convolutionsThenDense(int[] filters, int[] hiddenUnits, float dropout) {
        // Layer after layer, like Keras's Sequential; trained as one MXNet graph, which is faster.
        SequentialBlock net = Engines.sequential();
        for (int count : filters) {
            net.add(Conv2d.builder().setFilters(count).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).build())
                    .add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2))); // stride 2, no padding: odd sizes round down, like Keras
            if (dropout > 0) net.add(Dropout.builder().optRate(dropout).build());
        }
        net.add(Blocks.batchFlattenBlock());
        for (int units : hiddenUnits) {
            net.add(Linear.builder().setUnits(units).build()).add(Activation.reluBlock());
            if (dropout > 0) net.add(Dropout.builder().optRate(dropout).build());
        }
        // Ten scores ("logits"); the softmax lives in the loss, which is more accurate numerically.
        return net.add(Linear.builder().setUnits(10).build());
    }

    /**
     * Lesson 12's network, a ResNet-9 after David Page's ("How to train your ResNet") at a quarter of
     * its width: each convolution is followed by batch normalisation (each channel rescaled to mean 0
     * and spread 1 over the batch, then by two numbers it learns) and ReLU; two residual blocks add
     * their input to their output, so each learns a correction to what comes in; a global max-pool
     * keeps each of the last 128 channels' strongest answer, and the ten scores are scaled down by 8.
     * {@code residual} false: the same layers without the two residual blocks (an ablation).
     */
    public static SequentialBlock cifarResNet(boolean residual) {
        int width = RESNET_WIDTH;
        SequentialBlock net = Engines.sequential() // one MXNet graph, batch normalisation's statistics included
                .add(convolution(width, false))
                .add(convolution(2 * width, true));
        if (residual) net.add(residualBlock(2 * width));
        net.add(convolution(4 * width, true))
                .add(convolution(8 * width, true));
        if (residual) net.add(residualBlock(8 * width));
        return net.add(Pool.globalMaxPool2dBlock()).add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(10).build())
                .add(new LambdaBlock(scores -> new NDList(scores.singletonOrThrow().mul(0.125f)), "scale"));
    }

    /** Channels in the first layer of {@link #cifarResNet}; the others have 2, 4 and 8 times as many. */
    static final int RESNET_WIDTH = 16;

    /** Convolution 3x3 (no bias: batch normalisation's shift takes its place), max-pooling 2x2 if {@code pool}, batch normalisation, ReLU. */
    private static SequentialBlock convolution(int filters, boolean pool) {
        SequentialBlock layers = new SequentialBlock()
                .add(Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).optBias(false).build());
        // Pooling first: batch normalisation and ReLU then work on a quarter of the numbers. The
        // network computes nearly the same (max-pooling commutes with ReLU and with a rescaling that
        // keeps the order of values), only faster; Page's "How to train your ResNet" did the same.
        if (pool) layers.add(Pool.maxPool2dBlock(new Shape(2, 2)));
        return layers.add(BatchNorm.builder().build()).add(Activation.reluBlock());
    }

    /** Two convolutions whose output is added to their input: x + f(x). */
    private static Block residualBlock(int filters) {
        return new ParallelBlock(
                branches -> new NDList(branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow())),
                List.of(new SequentialBlock().add(convolution(filters, false)).add(convolution(filters, false)), Blocks.identityBlock()));
    }

    /** The first convolution in {@code net}, looked for inside nested blocks too; null when it has none. */
    public static Conv2d firstConvolution(Block net) {
        if (net instanceof Conv2d convolution) return convolution;
        for (Pair<String, Block> child : net.getChildren()) {
            Conv2d found = firstConvolution(child.getValue());
            if (found != null) return found;
        }
        return null;
    }

    /** Keras's default kernel initializer: uniform in +-sqrt(6 / (fan_in + fan_out)). Biases start at 0. */
    public static Initializer glorotUniform() {
        return new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3f);
    }

    /** The network a model name stands for: {@link #FASHION_MNIST} or {@link #CIFAR10}. */
    public static SequentialBlock network(String modelName) {
        return network(modelName, 0);
    }

    /** The network a model name stands for, with Dropout layers of {@code dropout} (0: none) in the CNNs. */
    public static SequentialBlock network(String modelName, float dropout) {
        return network(modelName, dropout, true);
    }

    /** The same; {@code residual} false takes the residual blocks out of {@link #CIFAR10_RESNET}. */
    public static SequentialBlock network(String modelName, float dropout, boolean residual) {
        if (dropout > 0 && !takesDropout(modelName)) throw new IllegalArgumentException(modelName + " has no Dropout layers");
        return switch (modelName) {
            case FASHION_MNIST -> fashionMnistCnn(dropout);
            case CIFAR10 -> cifarCnn(dropout);
            case FASHION_MNIST_DENSE -> fashionMnistDense();
            case CIFAR10_RESNET -> cifarResNet(residual);
            default -> throw new IllegalArgumentException("no network is called " + modelName);
        };
    }

    /** Whether {@link #network} puts Dropout layers into the network called {@code modelName}: the tutorial's two CNNs. */
    public static boolean takesDropout(String modelName) {
        return modelName.equals(FASHION_MNIST) || modelName.equals(CIFAR10);
    }

    /** The tutorial's model called {@code name}, initialised for images of {@code imageShape}. */
    public static Model create(String name, Shape imageShape) {
        return create(name, network(name), imageShape);
    }

    /** A DJL model holding {@code net}, its weights initialised as Keras does for images of {@code imageShape}. */
    public static Model create(String name, Block net, Shape imageShape) {
        Model model = Model.newInstance(name);
        net.setInitializer(glorotUniform(), Parameter.Type.WEIGHT);
        net.initialize(model.getNDManager(), DataType.FLOAT32, batchOf(1, imageShape));
        model.setBlock(net);
        return model;
    }

    public static Shape batchOf(long batchSize, Shape imageShape) {
        return new Shape(batchSize).addAll(imageShape);
    }

    /** The counterpart of Keras's {@code model.summary()}: each layer's output shape and parameter count. */
    public static String summary(Block net, Shape imageShape) {
        String rule = "-".repeat(66);
        List<String> lines = new ArrayList<>(List.of(rule,
                String.format("%-30s %-22s %12s", "Layer (type)", "Output Shape", "Param #"), "=".repeat(66)));
        Shape[] shapes = {batchOf(1, imageShape)};
        long total = 0;
        for (Pair<String, Block> child : net.getChildren()) {
            Block layer = child.getValue();
            shapes = layer.getOutputShapes(shapes);
            long count = parameterCount(layer);
            total += count;
            String type = layer instanceof LambdaBlock lambda ? lambda.getName() : layer.getClass().getSimpleName();
            String name = type.toLowerCase() + "_" + child.getKey().substring(0, 2);
            lines.add(String.format("%-30s %-22s %,12d", name + " (" + type + ")", shapes[0].slice(1), count));
        }
        lines.add("=".repeat(66));
        lines.add(String.format("Total params: %,d", total));
        lines.add(rule);
        return String.join(System.lineSeparator(), lines);
    }

    /** How many numbers {@code net} learns: every weight and bias of every layer. */
    public static long parameterCount(Block net) {
        return net.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
    }
}
