package lib;

import ai.djl.Model;
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
import java.nio.file.Path;

/** Keras's {@code model.compile(...)} and {@code model.fit(...)} with the tutorial's settings. */
public final class Training {
    private Training() {}

    /** Plain stochastic gradient descent, no momentum, as in the tutorial. */
    public static final float LEARNING_RATE = 0.01f;

    /**
     * Keras: {@code model.compile(optimizer=SGD(learning_rate=0.01), loss="sparse_categorical_crossentropy",
     * metrics=["accuracy"])}: the loss takes the model's ten scores and the class numbers directly.
     */
    public static TrainingConfig sgdConfig(TrainingListener... listeners) {
        return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(LEARNING_RATE)).build())
                .addEvaluator(new Accuracy())
                .addTrainingListeners(TrainingListener.Defaults.basic()) // computes loss and accuracy
                .addTrainingListeners(listeners);                        // so these must come after it
    }

    /**
     * Keras: {@code model.fit(x_train, y_train, epochs=..., batch_size=..., validation_data=(x_val, y_val))}.
     * Trains {@code model} in place and returns the per-epoch history.
     */
    public static History fit(Model model, RandomAccessDataset train, RandomAccessDataset validation,
            int epochs, int batchSize, Shape imageShape) {
        int steps = (int) ((train.size() + batchSize - 1) / batchSize);
        KerasProgress progress = new KerasProgress(epochs, steps);
        try (Trainer trainer = model.newTrainer(sgdConfig(progress))) {
            trainer.initialize(Models.batchOf(batchSize, imageShape)); // keeps the weights Models.create chose
            EasyTrain.fit(trainer, epochs, train, validation);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TranslateException e) {
            throw new IllegalStateException(e);
        }
        return progress.history();
    }

    /** Writes what a run produced into {@code output}: history.csv, accuracy.png, loss.png and the weights. */
    public static void save(Model model, History history, String title, Path output) {
        history.writeCsv(output.resolve("history.csv"));
        Charts.saveCurves(history, title, output);
        Models.save(model, output);
        System.out.println("Saved history.csv, accuracy.png, loss.png and " + model.getName() + "-"
                + String.format("%04d", history.epochs()) + ".params in " + output);
    }
}
