package lib;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.TranslateException;
import java.io.IOException;

/**
 * What {@code Training.fit} (and Keras's {@code fit}) does for each batch, written out: the loop that
 * DJL's {@code EasyTrain} runs, without its bookkeeping for the progress bar. Lesson 3 reads it line
 * by line; the tests check that it trains to exactly the weights {@code Training.fit} gives.
 */
public final class TrainingLoop {
    private TrainingLoop() {}

    /** One epoch over {@code train}; returns the mean loss per image. */
    public static double trainOneEpoch(Trainer trainer, Dataset train) throws IOException, TranslateException {
        double lossSum = 0;
        long images = 0;
        for (Batch batch : trainer.iterateDataset(train)) {
            NDList pictures = batch.getData();
            NDList labels = batch.getLabels();
            try (GradientCollector gradients = trainer.newGradientCollector()) {
                NDList scores = trainer.forward(pictures);                 // 1. forward: ten scores a picture
                NDArray loss = trainer.getLoss().evaluate(labels, scores); // 2. loss: the batch's mean
                gradients.backward(loss);                                  // 3. backward: each weight's gradient
                long count = labels.head().getShape().get(0);
                lossSum += (double) loss.getFloat() * count;
                images += count;
            }
            trainer.step();                                                // 4. update: w -= 0.01 * gradient
            batch.close();
        }
        return lossSum / images;
    }
}
