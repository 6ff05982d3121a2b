package lib.mxnet;

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
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lib.Bfloat16;

/**
 * A SequentialBlock that MXNet trains as one graph, like Gluon's {@code HybridSequential} after
 * {@code hybridize()}. A plain SequentialBlock asks MXNet for each layer in turn, and every request
 * crosses from Java into MXNet, which then checks shapes, finds memory and notes the step for
 * backpropagation. Here the first training batch of each shape runs layer by layer as usual while
 * MXNet records it; the recording becomes a graph (MXNet's "cached op") that runs every later batch
 * of that shape forwards and backwards in one request each, its memory planned once.
 *
 * <p>Batch normalisation's running statistics (the mean and spread it has seen, kept for
 * prediction) go into the graph as inputs that it updates in place, as Gluon's hybridized
 * {@code BatchNorm} does; residual branches are just more of the recording.
 *
 * <p>The graph checks itself before it is used: its inputs are matched to the block's parameters by
 * the names MXNet gave them and by shape, and it is run once on the recorded batch, from the
 * running statistics the layers started from, where its scores and the statistics it leaves must
 * equal the layer-by-layer ones bit for bit. A network that fails a check (one with random layers
 * such as Dropout) trains layer by layer, with a note. Evaluation and prediction always run layer by
 * layer. {@code -Dcnn-lessons.graph=off} or {@code CNN_LESSONS_GRAPH=off} turns graphs off
 * altogether.
 */
public class HybridSequentialBlock extends SequentialBlock {
    /**
     * One graph per input shape (the last batch of an epoch is smaller) and precision (a graph
     * records float32 or bfloat16 operations, {@link Bfloat16}); empty: run layer by layer.
     */
    private final Map<Key, Optional<Graph>> graphs = new HashMap<>();

    private record Key(Shape inputShape, boolean bfloat16) {}

    private boolean noted;

    /** MXNet's cached op and the parameters it takes after the images, in its order. */
    private record Graph(Pointer cachedOp, List<Parameter> parameters) {}

    /** Whether graphs are on: unless the system property or the environment variable says "off". */
    public static boolean enabled() {
        String setting = System.getProperty("cnn-lessons.graph", System.getenv("CNN_LESSONS_GRAPH"));
        return setting == null || !setting.equalsIgnoreCase("off");
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (!training || !MxGradientCollector.isRecording() || inputs.size() != 1
                || !(inputs.head() instanceof MxNDArray images) || !enabled()) {
            return super.forwardInternal(parameterStore, inputs, training, params);
        }
        Key key = new Key(images.getShape(), Bfloat16.isOn(this));
        Optional<Graph> graph = graphs.get(key);
        if (graph == null) {
            List<float[]> statisticsBefore = runningStatistics();
            NDList outputs = super.forwardInternal(parameterStore, inputs, true, params);
            graphs.put(key, graphOf(outputs, images, parameterStore, statisticsBefore));
            return outputs;
        }
        if (graph.isEmpty()) return super.forwardInternal(parameterStore, inputs, true, params);
        return new NDList(invoke(graph.get(), images, parameterStore));
    }

    /** Training with labels at hand ({@code EasyTrain}'s way): these layers take no labels. */
    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList data, NDList labels,
            PairList<String, Object> params) {
        return forwardInternal(parameterStore, data, true, params);
    }

    /** Whether training batches of {@code inputShape} now run as one graph, in the precision set now. */
    public boolean trainsAsGraph(Shape inputShape) {
        return graphs.getOrDefault(new Key(inputShape, Bfloat16.isOn(this)), Optional.empty()).isPresent();
    }

    private static MxNDArray[] invoke(Graph graph, MxNDArray images, ParameterStore parameterStore) {
        List<Parameter> parameters = graph.parameters();
        MxNDArray[] arguments = new MxNDArray[parameters.size() + 1];
        arguments[0] = images;
        Device device = images.getDevice();
        for (int i = 0; i < parameters.size(); i++) {
            arguments[i + 1] = (MxNDArray) parameterStore.getValue(parameters.get(i), device, true);
        }
        return JnaUtils.cachedOpInvoke((MxNDManager) images.getManager(), graph.cachedOp(), arguments);
    }

    /**
     * MXNet names a recording's inputs with a counter that runs through the whole process: the
     * weights it trains "var" and a number, given in the order they were marked for training (the
     * block's order); everything else it was handed (the images, the running statistics) "null" and
     * a number, given as the recording met them.
     */
    private static final Pattern INPUT_NAME = Pattern.compile("(var|null)(\\d+)");

    /**
     * Turns what MXNet recorded while computing {@code outputs} into a checked graph, or empty (with
     * a note) when a check fails: after the images, the inputs must be the block's parameters in
     * their order, trained weights named as such, the running statistics as the states the graph
     * updates, each shaped like its parameter; and run from {@code statisticsBefore}, the graph must
     * reproduce {@code outputs} and the running statistics the layers left.
     */
    private Optional<Graph> graphOf(NDList outputs, MxNDArray images, ParameterStore parameterStore,
            List<float[]> statisticsBefore) {
        List<Parameter> parameters = new ArrayList<>(getParameters().values());
        if (outputs.size() != 1 || parameters.isEmpty()) return fallBack("it has " + outputs.size() + " outputs");
        // Checked first: the check below would draw random numbers that a layer-by-layer run would not.
        if (hasRandomLayer(this)) return fallBack("it has a random layer (Dropout)");
        // The graph lives as long as the weights: closing the model frees both.
        MxNDManager manager = (MxNDManager) parameters.get(0).getArray().getManager();
        Symbol symbol = MxGradientCollector.getSymbol(manager, outputs.head());
        String[] inputNames = symbol.getAllNames(); // the cached op's inputs, in its order
        if (inputNames.length != parameters.size() + 1) return fallBack("its recording has " + inputNames.length + " inputs");
        Set<String> updatedInPlace = Set.of(symbol.getAuxNames());
        Map<String, Shape> shapes = symbol.inferShape(new PairList<>(List.of(inputNames[0]), List.of(images.getShape())));
        long previousWeight = -1;
        for (int i = 1; i < inputNames.length; i++) {
            Parameter parameter = parameters.get(i - 1);
            Matcher name = INPUT_NAME.matcher(inputNames[i]);
            boolean trained = name.matches() && name.group(1).equals("var");
            if (trained != parameter.requiresGradient() || updatedInPlace.contains(inputNames[i]) == trained
                    || (trained && Long.parseLong(name.group(2)) <= previousWeight)) {
                return fallBack("its recording's input " + inputNames[i] + " is not parameter " + (i - 1) + " (" + parameter.getName() + ")");
            }
            if (trained) previousWeight = Long.parseLong(name.group(2));
            if (!parameter.getArray().getShape().equals(shapes.get(inputNames[i]))) {
                return fallBack("input " + inputNames[i] + " is not shaped like parameter " + (i - 1));
            }
        }
        MxSymbolBlock block = new MxSymbolBlock(manager, symbol);
        List<Parameter> graphInputs = block.getAllParameters(); // an input without an array is data
        for (int i = 0; i < parameters.size(); i++) {
            NDArray array = parameters.get(i).getArray();
            String name = array.getName(); // saved with the weights: keep it
            graphInputs.get(i + 1).setArray(array);
            array.setName(name);
        }
        CachedOp op = JnaUtils.createCachedOp(block, manager, true);
        Graph graph = new Graph(op.getHandle(), parameters);
        if (!reproduces(graph, images, parameterStore, outputs.head(), statisticsBefore)) {
            op.close(); // frees the graph once; the model's manager then leaves it alone
            return fallBack("its graph's numbers differ from the layers' (a random layer?)");
        }
        return Optional.of(graph);
    }

    /** The block's running statistics (parameters it keeps but does not train), copied out of MXNet. */
    private List<float[]> runningStatistics() {
        return statistics().stream().map(p -> p.getArray().toFloatArray()).toList();
    }

    /** Puts {@code values}, as {@link #runningStatistics} gave them, back into the block's running statistics. */
    private void setRunningStatistics(List<float[]> values) {
        List<Parameter> statistics = statistics();
        for (int i = 0; i < statistics.size(); i++) statistics.get(i).getArray().set(values.get(i));
    }

    private List<Parameter> statistics() {
        return getParameters().values().stream().filter(p -> !p.requiresGradient()).toList();
    }

    /**
     * Runs the graph once on the recorded batch, outside the recording, from the running statistics
     * the layers started from, and compares its scores and the statistics it leaves bit for bit.
     * The statistics end as the layers left them either way.
     */
    private boolean reproduces(Graph graph, MxNDArray images, ParameterStore parameterStore, NDArray expected,
            List<float[]> statisticsBefore) {
        List<float[]> statisticsAfter = runningStatistics();
        setRunningStatistics(statisticsBefore);
        boolean wasRecording = MxGradientCollector.setRecording(false);
        try {
            MxNDArray[] scores = invoke(graph, images, parameterStore);
            boolean same = scores.length == 1 && Arrays.equals(bits(scores[0]), bits(expected));
            for (MxNDArray score : scores) score.close();
            List<float[]> statisticsNow = runningStatistics();
            for (int i = 0; i < statisticsNow.size(); i++) {
                same &= Arrays.equals(bits(statisticsNow.get(i)), bits(statisticsAfter.get(i)));
            }
            return same;
        } finally {
            MxGradientCollector.setRecording(wasRecording);
            setRunningStatistics(statisticsAfter);
        }
    }

    private static int[] bits(NDArray array) {
        return bits(array.toFloatArray());
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) bits[i] = Float.floatToRawIntBits(values[i]);
        return bits;
    }

    /** A layer that draws at random in training: a second run of it could not match the first. */
    private static boolean hasRandomLayer(Block block) {
        if (block instanceof Dropout) return true;
        return block.getChildren().values().stream().anyMatch(HybridSequentialBlock::hasRandomLayer);
    }

    private Optional<Graph> fallBack(String reason) {
        if (!noted) {
            noted = true;
            System.out.println("Note: training layer by layer, not as one MXNet graph: " + reason + ".");
        }
        return Optional.empty();
    }
}
