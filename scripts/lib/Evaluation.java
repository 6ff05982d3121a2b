package lib;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.translate.TranslateException;
import ai.djl.util.PairList;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Keras's {@code model.evaluate(x_test, y_test)}: the mean loss and the accuracy over a whole set,
 * in batches, without training; also how often each class was recognised.
 */
public record Evaluation(double loss, double accuracy, int steps, Table perClass, Answers answers) {

    /** Image by image: the true class, the predicted one, the probability given to each, and the image's loss. */
    public record Answers(int[] truth, int[] predicted, float[] confidence, float[] probabilityOfTruth) {
        /** The image's loss, -ln(probability given to the true class): large for a confident mistake. */
        public double loss(int image) {
            return -Math.log(Math.max(probabilityOfTruth[image], Float.MIN_NORMAL));
        }

        /**
         * Per class: precision (of the pictures called X, the share that are X), recall (of the X
         * pictures, the share found), F1 (their harmonic mean), and the number of pictures.
         */
        public static Table precisionAndRecall(int[][] confusion, List<String> classes) {
            DoubleColumn precision = DoubleColumn.create("precision");
            DoubleColumn recall = DoubleColumn.create("recall");
            DoubleColumn f1 = DoubleColumn.create("f1");
            IntColumn support = IntColumn.create("images");
            for (int c = 0; c < classes.size(); c++) {
                int truePositives = confusion[c][c];
                int predicted = 0;
                int actual = 0;
                for (int k = 0; k < classes.size(); k++) {
                    predicted += confusion[k][c];
                    actual += confusion[c][k];
                }
                double p = predicted == 0 ? 0 : truePositives / (double) predicted;
                double r = actual == 0 ? 0 : truePositives / (double) actual;
                precision.append(round3(p));
                recall.append(round3(r));
                f1.append(round3(p + r == 0 ? 0 : 2 * p * r / (p + r)));
                support.append(actual);
            }
            return Table.create("Per class", StringColumn.create("class", classes), precision, recall, f1, support);
        }

        private static double round3(double value) {
            return Math.round(value * 1000) / 1000.0;
        }

        /** counts[t][p]: how many images of true class t were predicted as class p. */
        public int[][] confusion(int classes) {
            int[][] counts = new int[classes][classes];
            for (int i = 0; i < truth.length; i++) counts[truth[i]][predicted[i]]++;
            return counts;
        }
    }

    public static Evaluation of(Model model, LabeledImages images, int batchSize) {
        return of(model, images, batchSize, Looks.ONE);
    }

    /**
     * How many looks the network takes at each test image, its scores then averaged (lesson 12's
     * recipe): the image as it is; {@code mirrored}, also its mirror image; {@code shifted}, also the
     * image moved one pixel up and left and one pixel down and right (the border mirrored), each of
     * those mirrored too when {@code mirrored}: up to six looks, as Keller Jordan's airbench takes.
     * The network was trained on mirrored and shifted images, and several looks at a picture err
     * less than one.
     */
    public record Looks(boolean mirrored, boolean shifted) {
        public static final Looks ONE = new Looks(false, false);

        public int count() {
            return (mirrored ? 2 : 1) * (shifted ? 3 : 1);
        }

        /**
         * The network's scores for {@code images} (N, C, H, W), averaged over the looks. Each look
         * is made and scored in a manager of its own, closed after it: the layers' outputs of one
         * look are freed before the next, so six looks take no more memory than one.
         */
        public NDArray scores(Block network, ParameterStore parameters, NDArray images) {
            NDManager owner = images.getManager();
            NDArray sum = null;
            for (int shift : shifted ? new int[] {0, 1, -1} : new int[] {0}) {
                for (boolean mirror : mirrored ? new boolean[] {false, true} : new boolean[] {false}) {
                    try (NDManager look = owner.newSubManager()) {
                        images.tempAttach(look); // back to its own manager when the look's closes
                        NDArray view = shift == 0 ? images : movedBy(images, shift);
                        if (mirror) view = view.flip(3); // (N, C, H, W): mirror the width
                        NDArray scores = network.forward(parameters, new NDList(view), false).head();
                        sum = sum == null ? scores : sum.add(scores);
                        sum.attach(owner);
                    }
                }
            }
            return count() == 1 ? sum : sum.div(count());
        }

        /**
         * {@code network} as a block that takes these looks at each batch it is given and returns
         * the averaged scores: what a DJL {@code Predictor} runs, so a picture is classified as
         * {@code evaluate} scores it. Its parameters are the network's own.
         */
        public Block around(Block network) {
            Looks looks = this;
            return new AbstractBlock() {
                {
                    addChildBlock("network", network);
                }

                @Override
                protected NDList forwardInternal(ParameterStore parameters, NDList inputs, boolean training,
                        PairList<String, Object> params) {
                    return new NDList(looks.scores(network, parameters, inputs.head()));
                }

                @Override
                public Shape[] getOutputShapes(Shape[] inputShapes) {
                    return network.getOutputShapes(inputShapes);
                }
            };
        }

        /** Every image moved {@code pixels} up and left (negative: down and right), as training's crops move them. */
        private static NDArray movedBy(NDArray images, int pixels) {
            int[] each = new int[(int) images.getShape().get(0)];
            Arrays.fill(each, pixels);
            return Augmentation.shift(images, each, each);
        }

        @Override
        public String toString() {
            return Terminal.count(count(), "look");
        }
    }

    /** The same, each image seen with {@code looks} and the scores averaged. */
    public static Evaluation of(Model model, LabeledImages images, int batchSize, Looks looks) {
        int steps = (images.size() + batchSize - 1) / batchSize;
        List<String> classes = images.classNames();
        int[] seen = new int[classes.size()];
        int[] correct = new int[classes.size()];
        double lossSum = 0;
        int[] allTruth = new int[images.size()];
        int[] allPredicted = new int[images.size()];
        float[] confidence = new float[images.size()];
        float[] probabilityOfTruth = new float[images.size()];
        int seenSoFar = 0;
        long start = System.nanoTime();
        boolean live = Terminal.isInteractive(System.out);
        Loss loss = Loss.softmaxCrossEntropyLoss();
        try (NDManager manager = model.getNDManager().newSubManager()) {
            ParameterStore parameters = new ParameterStore(manager, false);
            int step = 0;
            for (Batch batch : images.inOrder(manager, batchSize).getData(manager)) {
                NDArray labels = batch.getLabels().head();
                NDArray scores = looks.scores(model.getBlock(), parameters, batch.getData().head());
                // The loss comes back as the batch's mean: weight it by the batch's size, as Keras does.
                lossSum += loss.evaluate(new NDList(labels), new NDList(scores)).getFloat() * labels.size();
                int[] truth = labels.toType(DataType.INT32, false).toIntArray();
                int[] predicted = scores.argMax(1).toType(DataType.INT32, false).toIntArray();
                float[] probabilities = scores.softmax(1).toFloatArray();
                int classCount = classes.size();
                for (int i = 0; i < truth.length; i++) {
                    seen[truth[i]]++;
                    if (predicted[i] == truth[i]) correct[truth[i]]++;
                    allTruth[seenSoFar] = truth[i];
                    allPredicted[seenSoFar] = predicted[i];
                    confidence[seenSoFar] = probabilities[i * classCount + predicted[i]];
                    probabilityOfTruth[seenSoFar] = probabilities[i * classCount + truth[i]];
                    seenSoFar++;
                }
                batch.close();
                step++;
                if (live) System.out.print("\r" + KerasProgress.counter(step, steps));
            }
        } catch (IOException | TranslateException e) {
            throw new IllegalStateException(e);
        }
        int total = images.size();
        double accuracy = (double) java.util.Arrays.stream(correct).sum() / total;
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s%s - %.0fs %.0fms/step - loss: %.4f - accuracy: %.4f%n",
                live ? "\r" : "", KerasProgress.counter(steps, steps), seconds, seconds * 1000 / steps, lossSum / total, accuracy);
        return new Evaluation(lossSum / total, accuracy, steps, perClassTable(classes, seen, correct),
                new Answers(allTruth, allPredicted, confidence, probabilityOfTruth));
    }

    private static Table perClassTable(List<String> classes, int[] seen, int[] correct) {
        DoubleColumn accuracy = DoubleColumn.create("accuracy");
        for (int c = 0; c < classes.size(); c++) {
            accuracy.append(seen[c] == 0 ? Double.NaN : Math.round(10_000.0 * correct[c] / seen[c]) / 10_000.0);
        }
        return Table.create("Accuracy per class", StringColumn.create("class", classes),
                IntColumn.create("images", seen), IntColumn.create("correct", correct), accuracy);
    }
}
