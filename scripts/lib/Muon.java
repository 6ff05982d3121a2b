package lib;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.LinearTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keller Jordan's Muon ("MomentUm Orthogonalized by Newton-Schulz", 2024), the way his airbench94_muon
 * trains CIFAR-10. A convolution's filters take a momentum step as usual, except that the step is
 * first "orthogonalised": five-order Newton-Schulz iterations push all its singular values towards
 * one, so every direction the filters can move in moves about as far. Before each step the filters
 * are rescaled to a fixed size, so the step's size alone sets how fast they turn. Everything else
 * (batch normalisation's shifts, the whitening layer's bias, the last layer's weights) takes Nesterov
 * SGD steps with weight decay; the whitening filters and batch normalisation's scales stay as they
 * were set. All rates fall in a straight line to zero at the run's last step (DJL's
 * {@link LinearTracker}); the whitening bias's over its first three epochs.
 *
 * <p>Each parameter's velocity can be saved with a checkpoint and put back ({@link #velocities},
 * {@link #restore}), so a resumed run goes on exactly where it stopped.
 */
public final class Muon extends Optimizer implements Training.KeepsVelocities {

    /** The rates of the parameters SGD trains, and their momentum: airbench94_muon's. */
    public record Settings(float biasRate, float headRate, float otherMomentum) {
        public static final Settings AIRBENCH = new Settings(0.053f, 0.67f, 0.85f);
    }

    /**
     * The epochs over which the whitening layer's bias is trained, its rate falling to zero (airbench
     * trains it for its first three epochs too, then stops it at once).
     */
    public static final int WHITENING_BIAS_EPOCHS = 3;

    /**
     * Filters trained by Nesterov SGD instead (the "without Muon" ablation): airbench94's rate, 11.5
     * per 1,024 images divided by 1 + 1 / (1 - 0.85) for its momentum, on the summed loss.
     */
    public static final float SGD_FILTER_RATE = 11.5f / (1024 * (1 + 1 / (1 - 0.85f)));

    /** What a parameter is, for the optimizer: each kind is stepped its own way. */
    enum Kind { FILTERS, FROZEN, WHITENING_BIAS, BIAS, HEAD }

    private final Settings settings = Settings.AIRBENCH;
    private final boolean muon;
    private final float filterRate, filterMomentum, weightDecay;
    private final int batchSize;
    private final int devices;
    private final Tracker decay;
    private final Tracker whiteningDecay;
    private final Map<String, Kind> kinds = new HashMap<>();
    private final Map<String, Map<Device, NDArray>> velocities = new ConcurrentHashMap<>();

    /**
     * @param net the network, its first convolution the whitening layer (or, with {@code whitening}
     *     false, a convolution trained like the others)
     * @param muon whether the filters take Muon's steps (else Nesterov SGD's, at {@code filterRate})
     * @param weightDecay decay per image and step, relative to the rate (airbench's, decoupled)
     * @param devices the devices a batch is shared among
     * @param totalSteps the run's steps, where the rates reach zero
     * @param whiteningSteps the steps over which the whitening bias's rate falls to zero
     * @param stepsDone steps already taken (a resumed run)
     */
    public Muon(Block net, boolean whitening, boolean muon, float filterRate, float filterMomentum, float weightDecay,
            int batchSize, int devices, int totalSteps, int whiteningSteps, int stepsDone) {
        super(new Builder().optBeginNumUpdate(stepsDone));
        this.muon = muon;
        this.filterRate = filterRate;
        this.filterMomentum = filterMomentum;
        this.weightDecay = weightDecay;
        this.batchSize = batchSize;
        this.devices = devices;
        this.decay = straightDownToZero(totalSteps);
        this.whiteningDecay = straightDownToZero(whiteningSteps);
        Parameter whiteningFilters = null, whiteningBias = null;
        if (whitening) {
            for (Parameter parameter : Models.firstConvolution(net).getParameters().values()) {
                if (parameter.getType() == Parameter.Type.WEIGHT) whiteningFilters = parameter;
                else whiteningBias = parameter;
            }
        }
        for (Pair<String, Parameter> named : net.getParameters()) {
            Parameter parameter = named.getValue();
            Kind kind;
            if (parameter == whiteningFilters || parameter.getType() == Parameter.Type.GAMMA) {
                kind = Kind.FROZEN;
            } else if (parameter == whiteningBias) {
                kind = Kind.WHITENING_BIAS;
            } else if (parameter.getType() == Parameter.Type.WEIGHT) {
                kind = parameter.getArray().getShape().dimension() == 4 ? Kind.FILTERS : Kind.HEAD;
            } else {
                kind = Kind.BIAS;
            }
            kinds.put(parameter.getId(), kind);
        }
    }

    /** A rate multiplier from 1 at the first step down to 0 at step {@code steps}, and 0 after. */
    private static Tracker straightDownToZero(int steps) {
        return LinearTracker.builder().setBaseValue(1).optSlope(-1f / Math.max(1, steps)).optMinValue(0).build();
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray gradient) {
        Kind kind = kinds.get(parameterId);
        int stepsBefore = updateCount(Training.stepCounter(parameterId, weight.getDevice())) - 1; // DJL counts from one
        if (kind != Kind.FROZEN) {
            NDArray velocity = withDefaultState(velocities, parameterId, weight.getDevice(), id -> weight.zerosLike());
            try (NDScope scope = new NDScope()) {
                if (kind == Kind.FILTERS && muon) {
                    filterStep(weight, gradient, velocity, filterRate * decay.getNewValue(stepsBefore));
                } else if (kind == Kind.FILTERS) {
                    sgdStep(weight, gradient, velocity, filterMomentum, filterRate, filterRate * decay.getNewValue(stepsBefore));
                } else {
                    float startRate = kind == Kind.HEAD ? settings.headRate() : settings.biasRate();
                    Tracker schedule = kind == Kind.WHITENING_BIAS ? whiteningDecay : decay;
                    sgdStep(weight, gradient, velocity, settings.otherMomentum(), startRate, startRate * schedule.getNewValue(stepsBefore));
                }
            }
        }
        Training.clearHeldGradient(weight);
    }

    /** Momentum (Nesterov's), the filters rescaled to norm sqrt(filters), then the orthogonalised step. */
    private void filterStep(NDArray weight, NDArray gradient, NDArray velocity, float rate) {
        float momentum = filterMomentum;
        velocity.muli(momentum).addi(gradient);
        NDArray ahead = gradient.add(velocity.mul(momentum));
        Shape shape = weight.getShape();
        long filters = shape.get(0);
        weight.muli((float) Math.sqrt(filters) / weight.norm().getFloat());
        weight.subi(orthogonalised(ahead.reshape(filters, -1)).reshape(shape).mul(rate));
    }

    /**
     * Nesterov SGD as PyTorch's {@code SGD(nesterov=True, weight_decay=...)} steps it, on the gradient
     * of the batch's summed loss (airbench's), which is the mean loss's times the batch size. (DJL
     * adds up the mean losses' gradients of the devices' shares of a batch, hence the division.)
     */
    private void sgdStep(NDArray weight, NDArray gradient, NDArray velocity, float momentum, float startRate, float rate) {
        float decayPerRate = weightDecay * batchSize / startRate;
        NDArray step = gradient.mul((float) batchSize / devices).add(weight.mul(decayPerRate));
        velocity.muli(momentum).addi(step);
        step.addi(velocity.mul(momentum));
        weight.subi(step.mul(rate));
    }

    /**
     * The matrix {@code g} with its singular values moved towards one by three Newton-Schulz steps,
     * X = a X + (b A + c A A) X with A = X X^T, the coefficients airbench's (they overshoot on purpose:
     * the values land between about 0.5 and 1.5, which trains as well as exactly one and takes
     * fewer steps).
     *
     * <p>Each step multiplies X by a polynomial P of A, and then the next A is P A P = P P A (all
     * polynomials of the first A, which commute). So the steps run on the small square A alone,
     * their product Q = P3 P2 P1 kept, and X meets the large products only twice: A = X X^T first,
     * Q X last. That is the same arithmetic as three steps on X, in half the multiplications.
     */
    public static NDArray orthogonalised(NDArray g) {
        boolean tall = g.getShape().get(0) > g.getShape().get(1);
        NDArray x = g.div(g.norm().add(1e-7f)); // every singular value now at most 1
        if (tall) x = x.transpose();
        NDArray a = x.matMul(x.transpose());
        NDArray constantTerm = a.getManager().eye((int) a.getShape().get(0)).mul(3.4445f);
        NDArray product = null;
        for (int i = 0; i < 3; i++) {
            NDArray aa = a.matMul(a);
            NDArray polynomial = a.mul(-4.7750f).add(aa.mul(2.0315f)).add(constantTerm);
            product = product == null ? polynomial : polynomial.matMul(product);
            if (i < 2) a = polynomial.matMul(polynomial).matMul(a);
        }
        NDArray result = product.matMul(x);
        return tall ? result.transpose() : result;
    }

    @Override
    public NDList velocities(Model model) {
        return Training.velocitiesByName(model, velocities);
    }

    @Override
    public void restore(Model model, NDList saved, Device[] devices) {
        Training.restoreVelocities(model, saved, devices, velocities);
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
