package lib;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
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

/** The tutorial's two CNNs built the way Keras builds them, lesson 12's whitened network, and a Keras-style summary. */
public final class Models {
    private Models() {}

    /** The names models are saved under; {@link #load} picks the network by them. */
    public static final String FASHION_MNIST = "fashion-mnist-cnn";
    public static final String CIFAR10 = "cifar10-cnn";
    public static final String FASHION_MNIST_DENSE = "fashion-mnist-dense";
    public static final String CIFAR10_WHITENED = "cifar10-whitened";

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
     * Lesson 12's network, after Keller Jordan's airbench: a 2x2 convolution whose 16 filters are set
     * from the training images to whiten them ({@link Whitening}) and GELU, then three blocks of
     * two 3x3 convolutions (64, 192 and 256 filters, the first of each pooled), each followed by batch
     * normalisation and GELU; max-pooling over the 3x3 that is left, and ten scores from a Linear layer
     * without bias, scaled down by the 256 numbers it reads. 1,527,504 parameters. It computes in
     * float32; a training run can switch it to bfloat16 ({@link Bfloat16#use}).
     */
    public static SequentialBlock cifarWhitened() {
        Bfloat16.Switch precision = new Bfloat16.Switch();
        SequentialBlock net = Engines.sequential() // one MXNet graph, batch normalisation's statistics included
                .add(Conv2d.builder().setFilters(Whitening.FILTERS).setKernelShape(new Shape(2, 2)).build())
                .add(Bfloat16.geluThenBfloat16(precision));
        for (int filters : WHITENED_WIDTHS) {
            // Pooling straight after the first convolution: batch normalisation and GELU then work on
            // a quarter of the numbers (airbench and Page's ResNet do the same).
            net.add(new SequentialBlock()
                    .add(Bfloat16.threeByThree(filters, precision)).add(Pool.maxPool2dBlock(new Shape(2, 2))).add(fastBatchNorm())
                    .add(Activation.geluBlock())
                    .add(Bfloat16.threeByThree(filters, precision)).add(fastBatchNorm()).add(Activation.geluBlock()));
        }
        float scale = 1f / WHITENED_WIDTHS[WHITENED_WIDTHS.length - 1];
        return net.add(Pool.maxPool2dBlock(new Shape(3, 3))).add(Bfloat16.float32ThenFlatten(precision))
                .add(Linear.builder().setUnits(10).optBias(false).build())
                .add(new LambdaBlock(scores -> new NDList(scores.singletonOrThrow().mul(scale)), "scale"));
    }

    /** Filters in the three blocks of {@link #cifarWhitened}. */
    static final int[] WHITENED_WIDTHS = {64, 192, 256};

    /**
     * Batch normalisation whose running statistics follow the latest batches closely (momentum 0.6,
     * against DJL's default 0.9): a run of a few epochs ends with statistics of the final weights.
     */
    private static Block fastBatchNorm() {
        return BatchNorm.builder().optMomentum(0.6f).build();
    }

    /**
     * How {@link #cifarWhitened} starts: the first layer whitens (from the first 5,000 of
     * {@code images}; unless {@code whitening} is false, the ablation), each 3x3 convolution's first filters pass their input channel through
     * unchanged (identity, "dirac" initialisation: a deep stack starts close to doing nothing, and
     * learns what to change), and the last layer's weights are rescaled to standard deviation one.
     */
    public static void startWhitened(Block net, LabeledImages images, boolean whitening) {
        if (whitening) Whitening.initialise(firstConvolution(net), images, 5000);
        for (Pair<String, Parameter> named : net.getParameters()) {
            NDArray weights = named.getValue().getArray();
            Shape shape = weights.getShape();
            if (named.getValue().getType() != Parameter.Type.WEIGHT) continue;
            if (shape.dimension() == 4 && shape.get(2) == 3) {
                int filters = (int) shape.get(0), channels = (int) shape.get(1);
                float[] values = weights.toFloatArray();
                for (int f = 0; f < Math.min(filters, channels); f++) {
                    java.util.Arrays.fill(values, f * channels * 9, (f + 1) * channels * 9, 0f);
                    values[(f * channels + f) * 9 + 4] = 1; // the centre of the kernel, on its own channel
                }
                Engines.overwrite(weights, values);
            } else if (shape.dimension() == 2) {
                try (NDArray centred = weights.sub(weights.mean())) {
                    float deviation = (float) Math.sqrt(centred.square().sum().getFloat() / (shape.size() - 1));
                    Engines.overwrite(weights, weights.div(deviation).toFloatArray());
                }
            }
        }
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
        if (dropout > 0 && !takesDropout(modelName)) throw new IllegalArgumentException(modelName + " has no Dropout layers");
        return switch (modelName) {
            case FASHION_MNIST -> fashionMnistCnn(dropout);
            case CIFAR10 -> cifarCnn(dropout);
            case FASHION_MNIST_DENSE -> fashionMnistDense();
            case CIFAR10_WHITENED -> cifarWhitened();
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
