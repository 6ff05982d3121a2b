package lib;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
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
        return sgdConfig(learningRate, weightDecay, new Device[] {Engines.devices(null)[0]}, listeners);
    }

    /**
     * The same on {@code devices}. DJL gives each device its share of a batch, and adds up the
     * gradients of their mean losses; scaled by one over the number of devices, that sum is the
     * gradient of the whole batch's mean loss (exactly so when the batch divides evenly), as on one device.
     */
    public static DefaultTrainingConfig sgdConfig(float learningRate, float weightDecay, Device[] devices, TrainingListener... listeners) {
        return new DefaultTrainingConfig(new PerImageLoss(Loss.softmaxCrossEntropyLoss()))
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(learningRate)).optWeightDecays(weightDecay)
                        .setRescaleGrad(1f / devices.length).build())
                .optDevices(devices)
                .addEvaluator(new Accuracy())
                .addTrainingListeners(TrainingListener.Defaults.basic()) // computes loss and accuracy
                .addTrainingListeners(listeners);                        // so these must come after it
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

        /** The devices to train on: the engine's default one unless --gpus says otherwise. */
        default Device[] devices() {
            return Engines.devices(null);
        }

        /** Called after each epoch, with the model as trained so far and the history including that epoch. */
        void save(Model model, History history);

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
                public void save(Model model, History history) {}
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
        try (Trainer trainer = model.newTrainer(sgdConfig(checkpoints.learningRate(), checkpoints.weightDecay(), checkpoints.devices(), progress))) {
            trainer.initialize(Models.batchOf(batchSize, imageShape)); // keeps the weights the model holds
            for (int epoch = progress.history().epochs() + 1; epoch <= checkpoints.epochs(); epoch++) {
                train.startEpoch(epoch);                      // this epoch's order and augmentation
                EasyTrain.fit(trainer, 1, train, validation); // its batches, then validation
                checkpoints.save(model, progress.history());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TranslateException e) {
            throw new IllegalStateException(e);
        }
        return progress.history();
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
