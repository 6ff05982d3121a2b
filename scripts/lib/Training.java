package lib;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingConfig;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Keras's {@code model.compile(...)} and {@code model.fit(...)} with the tutorial's settings. */
public final class Training {
    private Training() {}

    /** Plain stochastic gradient descent, no momentum, as in the tutorial. */
    public static final float LEARNING_RATE = 0.01f;

    /**
     * Keras: {@code model.compile(optimizer=SGD(learning_rate=0.01), loss="sparse_categorical_crossentropy",
     * metrics=["accuracy"])}: the loss takes the model's ten scores and the class numbers directly.
     * Plain SGD keeps no state between steps, so the weights alone are enough to resume a run.
     */
    public static TrainingConfig sgdConfig(TrainingListener... listeners) {
        return sgdConfig(LEARNING_RATE, listeners);
    }

    /** The same with another learning rate ({@code --lr}). */
    public static TrainingConfig sgdConfig(float learningRate, TrainingListener... listeners) {
        return sgdConfig(learningRate, 0, listeners);
    }

    /** The same with L2 weight decay ({@code --weight-decay}); plain SGD still keeps no state between steps. */
    public static TrainingConfig sgdConfig(float learningRate, float weightDecay, TrainingListener... listeners) {
        return sgdConfig(learningRate, weightDecay, 0, Engines.devices(null), listeners);
    }

    /**
     * The same with momentum ({@code --momentum}; 0: plain SGD) on {@code devices}. DJL gives each
     * device its share of a batch, and adds up the gradients of their mean losses; scaled by one over
     * the number of devices, that sum is the gradient of the whole batch's mean loss (exactly so when
     * the batch divides evenly), as on one device.
     */
    public static DefaultTrainingConfig sgdConfig(float learningRate, float weightDecay, float momentum, Device[] devices,
            TrainingListener... listeners) {
        return config(Tracker.fixed(learningRate), 0, weightDecay, momentum, false, 0, devices, listeners);
    }

    /**
     * The full set: the learning rate step by step ({@code rate}, counting from {@code stepsDone + 1}),
     * weight decay, momentum (Nesterov's or plain), label smoothing (0: none), devices.
     */
    public static DefaultTrainingConfig config(Tracker rate, int stepsDone, float weightDecay, float momentum, boolean nesterov,
            float labelSmoothing, Device[] devices, TrainingListener... listeners) {
        Optimizer optimizer = momentum == 0
                ? Optimizer.sgd().setLearningRateTracker(rate).optWeightDecays(weightDecay)
                        .setRescaleGrad(1f / devices.length).optBeginNumUpdate(stepsDone).build()
                : new MomentumSgd(rate, weightDecay, momentum, nesterov, devices.length, stepsDone);
        return config(optimizer, labelSmoothing, devices, listeners);
    }

    /** The loss (label-smoothed unless {@code labelSmoothing} is 0), {@code optimizer}, devices, accuracy and listeners. */
    private static DefaultTrainingConfig config(Optimizer optimizer, float labelSmoothing, Device[] devices,
            TrainingListener... listeners) {
        Loss loss = labelSmoothing == 0 ? Loss.softmaxCrossEntropyLoss() : new SmoothedCrossEntropy(labelSmoothing);
        return new DefaultTrainingConfig(new PerImageLoss(loss))
                .optOptimizer(optimizer)
                .optDevices(devices)
                .addEvaluator(new Accuracy())
                .addTrainingListeners(TrainingListener.Defaults.basic()) // computes loss and accuracy
                .addTrainingListeners(listeners);                        // so these must come after it
    }

    /**
     * The loss and optimizer a run of {@code recipe} trains {@code model} with: for lesson 12's recipe,
     * each kind of parameter its own way ({@link Muon}), its rates falling to zero at the last of
     * {@code epochs} epochs of {@code stepsPerEpoch} steps; otherwise SGD at a fixed rate.
     */
    public static DefaultTrainingConfig config(Model model, TutorialRun.Recipe recipe, float learningRate, float momentum,
            float weightDecay, int batchSize, Device[] devices, int stepsPerEpoch, int epochs, int stepsDone,
            TrainingListener... listeners) {
        if (!recipe.byKind()) {
            return config(Tracker.fixed(learningRate), stepsDone, weightDecay, momentum, recipe.nesterov(),
                    recipe.labelSmoothing(), devices, listeners);
        }
        Muon muon = new Muon(model.getBlock(), recipe.whitening(), recipe.muon(), learningRate, momentum, weightDecay,
                batchSize, devices.length, epochs * stepsPerEpoch, Muon.WHITENING_BIAS_EPOCHS * stepsPerEpoch, stepsDone);
        return config(muon, recipe.labelSmoothing(), devices, listeners);
    }

    /**
     * Empties the gradient {@code weight} holds, after an optimizer's step. PyTorch adds each backward
     * pass's gradients to the ones a weight holds, and the optimizer is handed a copy: DJL's own
     * optimizers clear the weight's gradient after a step, and so do the course's. (MXNet overwrites
     * gradients, and hands optimizers a copy of the weight with none.)
     */
    static void clearHeldGradient(NDArray weight) {
        if (weight.hasGradient()) {
            try (NDArray held = weight.getGradient()) {
                held.muli(0);
            }
        }
    }

    /**
     * What an optimizer counts its steps by: the parameter on one device. With several devices DJL
     * updates each device's copy of a parameter in turn, and a count by parameter alone would then
     * run as many times too fast, and a schedule end that much too early.
     */
    public static String stepCounter(String parameterId, Device device) {
        return parameterId + "@" + device;
    }

    /** Where a training run keeps its progress: the epochs done so far, and a checkpoint after each. */
    public interface Checkpoints {
        /** The epochs already trained (none for a new run). */
        History soFar();

        /** The number of the last epoch to train. */
        int epochs();

        /** The size of each SGD step. */
        default float learningRate() {
            return LEARNING_RATE;
        }

        /** L2 weight decay. */
        default float weightDecay() {
            return 0;
        }

        /** Momentum (0: plain SGD, as the tutorial). */
        default float momentum() {
            return 0;
        }

        /** The rest of the recipe: label smoothing, the augmentation, and for lesson 12 how each kind of parameter is trained. */
        default TutorialRun.Recipe recipe() {
            return TutorialRun.Recipe.TUTORIAL;
        }

        /** The devices to train on: the engine's default one unless --gpus says otherwise. */
        default Device[] devices() {
            return Engines.devices(null);
        }

        /** The velocities momentum had built up when the run stopped, by parameter name; null to start from rest. */
        default NDList velocities(NDManager manager) {
            return null;
        }

        /**
         * Called after each epoch, with the model as trained so far, the history including that epoch
         * and, with momentum, each parameter's velocity (null without).
         */
        void save(Model model, History history, NDList velocities);

        /** No checkpoints: train {@code epochs} epochs from scratch, keeping the result in memory only. */
        static Checkpoints none(int epochs) {
            return new Checkpoints() {
                @Override
                public History soFar() {
                    return new History();
                }

                @Override
                public int epochs() {
                    return epochs;
                }

                @Override
                public void save(Model model, History history, NDList velocities) {}
            };
        }
    }

    /** {@link #fit(Model, EpochDataset, RandomAccessDataset, int, Shape, Checkpoints)} without checkpoints. */
    public static History fit(Model model, EpochDataset train, RandomAccessDataset validation,
            int epochs, int batchSize, Shape imageShape) {
        return fit(model, train, validation, batchSize, imageShape, Checkpoints.none(epochs));
    }

    /**
     * Keras: {@code model.fit(x_train, y_train, epochs=..., batch_size=..., validation_data=(x_val, y_val))}.
     * Trains {@code model} in place from the epoch after those {@code checkpoints} hold, saves a
     * checkpoint after each epoch, and returns the whole history.
     */
    public static History fit(Model model, EpochDataset train, RandomAccessDataset validation,
            int batchSize, Shape imageShape, Checkpoints checkpoints) {
        int steps = (int) ((train.size() + batchSize - 1) / batchSize);
        KerasProgress progress = new KerasProgress(checkpoints.soFar(), checkpoints.epochs(), steps);
        TutorialRun.Recipe recipe = checkpoints.recipe();
        int stepsDone = progress.history().epochs() * steps;
        DefaultTrainingConfig config = config(model, recipe, checkpoints.learningRate(), checkpoints.momentum(), checkpoints.weightDecay(),
                batchSize, checkpoints.devices(), steps, checkpoints.epochs(), stepsDone, progress);
        KeepsVelocities velocities = config.getOptimizer() instanceof KeepsVelocities keeps ? keeps : null;
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(Models.batchOf(batchSize, imageShape)); // keeps the weights the model holds
            if (velocities != null) velocities.restore(model, checkpoints.velocities(model.getNDManager()), trainer.getDevices());
            for (int epoch = progress.history().epochs() + 1; epoch <= checkpoints.epochs(); epoch++) {
                train.startEpoch(epoch);                      // this epoch's order and augmentation
                EasyTrain.fit(trainer, 1, train, validation); // its batches, then validation
                checkpoints.save(model, progress.history(), velocities == null ? null : velocities.velocities(model));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TranslateException e) {
            throw new IllegalStateException(e);
        }
        return progress.history();
    }

    /**
     * Keras's {@code CategoricalCrossentropy(label_smoothing=e)}: the target is not "all on the true
     * class" but 1 - e on it and e spread evenly over all ten, so the network is never pushed to be
     * certain and its scores stay moderate. The loss is (1 - e) times the usual one plus e times the
     * mean of -log p over the classes.
     */
    static final class SmoothedCrossEntropy extends Loss {
        private final float smoothing;
        private final Loss crossEntropy = Loss.softmaxCrossEntropyLoss();

        SmoothedCrossEntropy(float smoothing) {
            super("SoftmaxCrossEntropyLoss");
            this.smoothing = smoothing;
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray usual = crossEntropy.evaluate(labels, predictions);
            try (NDArray logProbabilities = predictions.singletonOrThrow().logSoftmax(1)) {
                NDArray spread = logProbabilities.mean(new int[] {1}).neg().mean();
                return usual.mul(1 - smoothing).add(spread.mul(smoothing));
            }
        }
    }

    /**
     * Keras's {@code SGD(momentum=m)}: each parameter keeps a velocity, and each step
     * {@code velocity = m * velocity - learningRate * gradient; weight += velocity}, so steps in a
     * steady direction grow and steps that change sign cancel out. DJL's own {@code Sgd} does the same
     * but keeps its velocities to itself; here they can be saved with a checkpoint, so a run resumed
     * with {@code --resume} goes on exactly where it stopped.
     */
    static final class MomentumSgd extends Optimizer implements KeepsVelocities {
        private final Tracker rate;
        private final float momentum;
        private final boolean nesterov;
        private final Map<String, Map<Device, NDArray>> velocities = new ConcurrentHashMap<>();

        MomentumSgd(Tracker rate, float weightDecay, float momentum, boolean nesterov, int devices, int stepsDone) {
            super(new Settings().optWeightDecays(weightDecay).setRescaleGrad(1f / devices).optBeginNumUpdate(stepsDone));
            this.rate = rate;
            this.momentum = momentum;
            this.nesterov = nesterov;
        }

        @Override
        public void update(String parameterId, NDArray weight, NDArray gradient) {
            float learningRate = rate.getNewValue(parameterId, updateCount(stepCounter(parameterId, weight.getDevice())));
            NDArray velocity = withDefaultState(velocities, parameterId, weight.getDevice(), id -> weight.zerosLike());
            try (NDArray step = gradient.mul(rescaleGrad * learningRate)) {
                if (getWeightDecay() != 0) {
                    try (NDArray decay = weight.mul(getWeightDecay() * learningRate)) {
                        step.addi(decay); // L2 weight decay: the gradient of (decay / 2) * weight^2
                    }
                }
                velocity.muli(momentum).subi(step);
                if (nesterov) {
                    // Nesterov (Keras's SGD(nesterov=True)): step as if the velocity had already moved the weight.
                    try (NDArray ahead = velocity.mul(momentum)) {
                        weight.addi(ahead).subi(step);
                    }
                } else {
                    weight.addi(velocity);
                }
            }
            clearHeldGradient(weight);
        }

        /** The settings every DJL optimizer shares (weight decay, gradient scale). */
        private static final class Settings extends OptimizerBuilder<Settings> {
            @Override
            protected Settings self() {
                return this;
            }
        }

        @Override
        public NDList velocities(Model model) {
            return velocitiesByName(model, velocities);
        }

        @Override
        public void restore(Model model, NDList saved, Device[] devices) {
            restoreVelocities(model, saved, devices, velocities);
        }
    }

    /** An optimizer with a velocity a parameter, which a checkpoint saves so that --resume goes on exactly. */
    public interface KeepsVelocities {
        /** Each parameter's velocity by the parameter's name (zero where it has taken no step yet). */
        NDList velocities(Model model);

        /** Puts back velocities saved by {@link #velocities}; nothing to do for null (a new run). */
        void restore(Model model, NDList saved, Device[] devices);
    }

    /** An optimizer's velocities ({@code velocities}: by parameter id, then device) by parameter name, on the CPU. */
    static NDList velocitiesByName(Model model, Map<String, Map<Device, NDArray>> velocities) {
        NDList saved = new NDList();
        for (var parameter : model.getBlock().getParameters()) {
            Map<Device, NDArray> byDevice = velocities.get(parameter.getValue().getId());
            NDArray velocity = byDevice == null ? parameter.getValue().getArray().zerosLike()
                    : byDevice.values().iterator().next().toDevice(Device.cpu(), true);
            velocity.setName(parameter.getKey());
            saved.add(velocity);
        }
        return saved;
    }

    /** Puts velocities {@link #velocitiesByName} gave back into {@code velocities}, one copy a device; null: nothing to do. */
    static void restoreVelocities(Model model, NDList saved, Device[] devices, Map<String, Map<Device, NDArray>> velocities) {
        if (saved == null) return;
        Map<String, NDArray> byName = new HashMap<>();
        for (NDArray velocity : saved) byName.put(velocity.getName(), velocity);
        for (var parameter : model.getBlock().getParameters()) {
            NDArray velocity = byName.get(parameter.getKey());
            if (velocity == null || !velocity.getShape().equals(parameter.getValue().getArray().getShape())) {
                throw new BadInputException("the saved velocities do not fit the network: " + parameter.getKey()
                        + (velocity == null ? " is missing" : " has shape " + velocity.getShape()));
            }
            Map<Device, NDArray> byDevice = new ConcurrentHashMap<>();
            for (Device device : devices) {
                // A copy of its own: on PyTorch an array read from bytes lives in Java's memory, freed
                // once it is closed and collected, and toDevice to its own device only aliases it.
                NDArray onDevice = velocity.toDevice(device, false);
                byDevice.put(device, onDevice == velocity ? velocity.duplicate() : onDevice);
            }
            velocities.put(parameter.getValue().getId(), byDevice);
        }
        saved.close();
    }

    /**
     * A loss averaged over images, as Keras reports it. DJL's loss evaluator averages the means of
     * the batches, so the last, smaller batch of an epoch would count as much as a full one; here each
     * batch counts by its number of images. Training itself is unchanged: each step still follows
     * the gradient of its batch's mean loss.
     */
    static final class PerImageLoss extends Loss {
        private final Loss loss;
        private final Map<String, Double> sums = new HashMap<>();
        private final Map<String, Long> images = new HashMap<>();

        PerImageLoss(Loss loss) {
            super(loss.getName());
            this.loss = loss;
        }

        @Override
        public ai.djl.ndarray.NDArray evaluate(NDList labels, NDList predictions) {
            return loss.evaluate(labels, predictions);
        }

        @Override
        public void addAccumulator(String key) {
            sums.put(key, 0.0);
            images.put(key, 0L);
        }

        @Override
        public void updateAccumulator(String key, NDList labels, NDList predictions) {
            updateAccumulators(new String[] {key}, labels, predictions);
        }

        @Override
        public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
            long count = labels.head().getShape().get(0);
            double sum = (double) evaluate(labels, predictions).getFloat() * count;
            for (String key : keys) {
                sums.merge(key, sum, Double::sum);
                images.merge(key, count, Long::sum);
            }
        }

        @Override
        public void resetAccumulator(String key) {
            addAccumulator(key);
        }

        @Override
        public float getAccumulator(String key) {
            Long count = images.get(key);
            if (count == null) throw new IllegalArgumentException("no loss accumulator called " + key);
            return count == 0 ? Float.NaN : (float) (sums.get(key) / count);
        }
    }
}
