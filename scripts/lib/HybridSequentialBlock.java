package lib;

import ai.djl.Device;
import ai.djl.mxnet.engine.CachedOp;
import ai.djl.mxnet.engine.MxGradientCollector;
import ai.djl.mxnet.engine.MxNDArray;
import ai.djl.mxnet.engine.MxNDManager;
import ai.djl.mxnet.engine.MxSymbolBlock;
import ai.djl.mxnet.engine.Symbol;
import ai.djl.mxnet.jna.JnaUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import com.sun.jna.Pointer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A SequentialBlock that MXNet trains as one graph, like Gluon's {@code HybridSequential} after
 * {@code hybridize()}. A plain SequentialBlock asks MXNet for each layer in turn, and every request
 * crosses from Java into MXNet, which then checks shapes, finds memory and notes the step for
 * backpropagation. Here the first training batch of each shape runs layer by layer as usual while
 * MXNet records it; the recording becomes a graph (MXNet's "cached op") that runs every later batch
 * of that shape forwards and backwards in one request each, its memory planned once.
 *
 * <p>The layers, weights and arithmetic are the same, so training gives the same numbers to the last
 * bit, only sooner (README, "Speed"). Evaluation and prediction run layer by layer, as does a
 * network whose recording does not map onto its weights (one with running statistics, say).
 */
public class HybridSequentialBlock extends SequentialBlock {
    /** One graph per input shape (the last batch of an epoch is smaller); empty: run layer by layer. */
    private final Map<Shape, Optional<Graph>> graphs = new HashMap<>();

    /** MXNet's cached op and the weights it takes after the images, in its order. */
    private record Graph(Pointer cachedOp, List<Parameter> weights) {}

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (!training || !MxGradientCollector.isRecording() || inputs.size() != 1
                || !(inputs.head() instanceof MxNDArray images)) {
            return super.forwardInternal(parameterStore, inputs, training, params);
        }
        Optional<Graph> graph = graphs.get(images.getShape());
        if (graph == null) {
            NDList outputs = super.forwardInternal(parameterStore, inputs, true, params);
            graphs.put(images.getShape(), graphOf(outputs, images, getParameters().values()));
            return outputs;
        }
        if (graph.isEmpty()) return super.forwardInternal(parameterStore, inputs, true, params);

        List<Parameter> weights = graph.get().weights();
        MxNDArray[] arguments = new MxNDArray[weights.size() + 1];
        arguments[0] = images;
        Device device = images.getDevice();
        for (int i = 0; i < weights.size(); i++) {
            arguments[i + 1] = (MxNDArray) parameterStore.getValue(weights.get(i), device, true);
        }
        return new NDList(JnaUtils.cachedOpInvoke((MxNDManager) images.getManager(), graph.get().cachedOp(), arguments));
    }

    /** Training with labels at hand ({@code EasyTrain}'s way): these layers take no labels. */
    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList data, NDList labels,
            PairList<String, Object> params) {
        return forwardInternal(parameterStore, data, true, params);
    }

    /** Whether training batches of {@code inputShape} now run as one graph. */
    public boolean trainsAsGraph(Shape inputShape) {
        return graphs.getOrDefault(inputShape, Optional.empty()).isPresent();
    }

    /**
     * Turns what MXNet recorded while computing {@code outputs} into a graph whose inputs are the
     * images and then every weight in the block's order, or empty when the recording has other inputs.
     */
    private static Optional<Graph> graphOf(NDList outputs, NDArray images, List<Parameter> weights) {
        if (outputs.size() != 1 || weights.isEmpty()) return Optional.empty();
        // The graph lives as long as the weights: closing the model frees both.
        MxNDManager manager = (MxNDManager) weights.get(0).getArray().getManager();
        Symbol symbol = MxGradientCollector.getSymbol(manager, outputs.head());
        String[] inputNames = symbol.getArgNames();
        if (symbol.getAuxNames().length > 0 || inputNames.length != weights.size() + 1) return Optional.empty();
        // MXNet lists a recording's inputs in the order the layers used them: the images, then each
        // layer's weight and bias. Their shapes confirm it.
        Map<String, Shape> shapes = symbol.inferShape(new PairList<>(List.of(inputNames[0]), List.of(images.getShape())));
        for (int i = 0; i < weights.size(); i++) {
            if (!weights.get(i).getArray().getShape().equals(shapes.get(inputNames[i + 1]))) return Optional.empty();
        }
        MxSymbolBlock graph = new MxSymbolBlock(manager, symbol);
        List<Parameter> graphInputs = graph.getAllParameters(); // an input without an array is data
        for (int i = 0; i < weights.size(); i++) {
            NDArray weight = weights.get(i).getArray();
            String name = weight.getName(); // saved with the weights: keep it
            graphInputs.get(i + 1).setArray(weight);
            weight.setName(name);
        }
        CachedOp op = JnaUtils.createCachedOp(graph, manager, true);
        return Optional.of(new Graph(op.getHandle(), weights));
    }
}
