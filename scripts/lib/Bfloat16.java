package lib;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

/**
 * Lesson 12's network computing in bfloat16 ("brain floating point"): a float32 with the last 16
 * of its 24 significant bits cut off, so about three significant digits instead of seven, but the
 * same range. Processors with AVX-512 BF16 (or AMX) multiply pairs of bfloat16 numbers twice as
 * fast as float32 ones, and every layer moves half the bytes. The weights stay float32, where the
 * optimizer's small steps add up; each step the convolutions use bfloat16 copies of them. airbench
 * trains the same way on GPUs, in float16.
 *
 * <p>The layers that switch are the GELU after the whitening layer (its output becomes bfloat16),
 * the 3x3 convolutions (they copy their filters to bfloat16) and the flattening before the last
 * layer (back to float32 for the scores). Switched off they are the usual layers, with the same
 * weights: a network trained in bfloat16 is saved, loaded and evaluated like any other.
 */
public final class Bfloat16 {
    private Bfloat16() {}

    /**
     * Whether a network's switching layers compute in bfloat16: one switch, shared by them all, off
     * (float32) until {@link #use} says otherwise.
     */
    static final class Switch {
        private boolean on;
    }

    /** GELU, its output in bfloat16 when {@code precision} is on. */
    static Block geluThenBfloat16(Switch precision) {
        return new LambdaBlock(x -> {
            NDArray activated = Activation.gelu(x.singletonOrThrow());
            return new NDList(precision.on ? Engines.toBfloat16(activated) : activated);
        }, "GELU");
    }

    /**
     * Back in float32 when {@code precision} is on, then each image's features flattened to a row.
     * In that order: MXNet's graph cannot reshape bfloat16 features kept in oneDNN's blocked layout.
     */
    static Block float32ThenFlatten(Switch precision) {
        return new LambdaBlock(x -> {
            NDArray features = x.singletonOrThrow();
            return new NDList(Blocks.batchFlatten(precision.on ? Engines.toFloat32(features) : features));
        }, "batchFlatten");
    }

    /** A 3x3 convolution without bias that, when {@code precision} is on, multiplies bfloat16 copies of its filters. */
    static Conv2d threeByThree(int filters, Switch precision) {
        return new Convolution(Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1)).optBias(false), precision);
    }

    /** DJL's Conv2d, its filters copied to bfloat16 for the product when the switch is on. */
    static final class Convolution extends Conv2d {
        private final Switch precision;

        Convolution(Conv2d.Builder builder, Switch precision) {
            super(builder);
            this.precision = precision;
        }

        @Override
        protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                PairList<String, Object> params) {
            if (!precision.on) return super.forwardInternal(parameterStore, inputs, training, params);
            NDArray images = inputs.singletonOrThrow();
            NDArray filters = parameterStore.getValue(weight, images.getDevice(), training);
            NDArray copy = Engines.toBfloat16(filters);
            copy.attach(images.getManager()); // freed with the batch, not kept with the weights
            return Conv2d.conv2d(images, copy, null, stride, padding, dilation, groups);
        }
    }

    /**
     * Sets {@code net} (built with these layers) to compute in bfloat16 when {@code wanted} and the
     * engine and processor do it fast ({@link Engines#bfloat16Fast}), else in float32. Returns
     * whether it now computes in bfloat16.
     */
    public static boolean use(Block net, boolean wanted) {
        Switch precision = switchOf(net);
        if (precision == null) return false;
        precision.on = wanted && Engines.bfloat16Fast();
        return precision.on;
    }

    /** Whether {@code net} computes in bfloat16 now. */
    public static boolean isOn(Block net) {
        Switch precision = switchOf(net);
        return precision != null && precision.on;
    }

    private static Switch switchOf(Block block) {
        if (block instanceof Convolution convolution) return convolution.precision;
        for (Pair<String, Block> child : block.getChildren()) {
            Switch found = switchOf(child.getValue());
            if (found != null) return found;
        }
        return null;
    }
}
