package lib;

import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.io.PrintStream;

/**
 * Prints training progress the way Keras's {@code model.fit} does:
 * <pre>
 * Epoch 1/20
 * 1719/1719 [==============================] - 52s 30ms/step - loss: 0.8611 - accuracy: 0.6837 - val_loss: 0.5700 - val_accuracy: 0.7888
 * </pre>
 * On a terminal the bar moves while the epoch runs; in a log file only the epoch's last line appears.
 * It also records each epoch in a {@link History}.
 */
public final class KerasProgress extends TrainingListenerAdapter {
    private static final int BAR_WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final int epochs;
    private final int steps;
    private final boolean live;
    private final PrintStream out;
    private final History history;
    private int epoch;
    private int step;
    private long epochStart;
    private long lastDraw;

    /** Progress of a run that has done the epochs in {@code soFar} and goes on to epoch {@code epochs}. */
    public KerasProgress(History soFar, int epochs, int steps) {
        this(soFar, epochs, steps, Terminal.isInteractive(System.out), System.out);
    }

    /** As above, printed to {@code out}, the bar moving if {@code live}. */
    public KerasProgress(History soFar, int epochs, int steps, boolean live, PrintStream out) {
        this.history = soFar.copy();
        this.epoch = soFar.epochs();
        this.epochs = epochs;
        this.steps = steps;
        this.live = live;
        this.out = out;
    }

    public History history() {
        return history;
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        if (step == 0) {
            out.printf("Epoch %d/%d%n", epoch + 1, epochs);
            epochStart = System.nanoTime();
        }
        step++;
        long now = System.nanoTime();
        if (live && (now - lastDraw > REDRAW_NANOS || step == steps)) {
            lastDraw = now;
            double perStep = (now - epochStart) / 1e9 / step;
            out.printf("\r%s - ETA: %s - loss: %.4f - accuracy: %.4f", counter(), duration(perStep * (steps - step)),
                    running(trainer.getLoss()), running(accuracy(trainer)));
            out.flush();
        }
    }

    @Override
    public void onEpoch(Trainer trainer) {
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        TrainingResult result = trainer.getTrainingResult();
        // Float.toString gives the shortest decimal that is exactly this float: every digit it has, none it hasn't.
        // The line printed and the history's row are the same numbers.
        double loss = exact(result.getTrainLoss());
        double accuracy = exact(result.getTrainEvaluation("Accuracy"));
        double validationLoss = exact(result.getValidateLoss());
        double validationAccuracy = exact(result.getValidateEvaluation("Accuracy"));
        out.printf("%s%s - %.0fs %.0fms/step - loss: %.4f - accuracy: %.4f - val_loss: %.4f - val_accuracy: %.4f%n",
                live ? "\r" : "", counter(), seconds, seconds * 1000 / step, loss, accuracy, validationLoss, validationAccuracy);
        history.add(++epoch, loss, accuracy, validationLoss, validationAccuracy, seconds);
        step = 0;
    }

    private static double exact(float value) {
        return Double.parseDouble(Float.toString(value));
    }

    private String counter() {
        return counter(step, steps);
    }

    /** Keras's step counter and bar, e.g. {@code  320/1719 [=====>........................]}. */
    static String counter(int step, int steps) {
        int done = BAR_WIDTH * step / steps;
        String bar = done == 0 ? "" : "=".repeat(done - 1) + (step < steps ? ">" : "=");
        bar += ".".repeat(BAR_WIDTH - done);
        String width = "%" + String.valueOf(steps).length() + "d";
        return String.format(width + "/%d [%s]", step, steps, bar);
    }

    private static Evaluator accuracy(Trainer trainer) {
        return trainer.getEvaluators().stream().filter(e -> e.getName().equals("Accuracy")).findFirst().orElseThrow();
    }

    private static float running(Evaluator evaluator) {
        return evaluator.getAccumulator(EvaluatorTrainingListener.TRAIN_EPOCH);
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? String.format("%d:%02d", s / 60, s % 60) : s + "s";
    }
}
