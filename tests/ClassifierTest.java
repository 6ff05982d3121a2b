import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.modality.Classifications;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import lib.Cifar10;
import lib.Classifier;
import lib.CommonOptions;
import lib.DataSplits;
import lib.Evaluation;
import lib.History;
import lib.LabeledImages;
import lib.RunFolder;
import lib.TutorialRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** A picture file classified gives what the network gives for the same image as a training or test image. */
class ClassifierTest {
    @TempDir Path dir;

    @Test
    void aPngOfAnImageIsClassifiedAsTheImageItself() throws IOException {
        Path model = ResumeAfterKillTest.projectFolder().resolve("models").resolve("cifar10");
        int count = 24;
        byte[] pixels = new byte[count * 32 * 32 * 3];
        new Random(5).nextBytes(pixels);
        LabeledImages images = new LabeledImages(pixels, new byte[count], 32, 32, 3, Cifar10.CLASS_NAMES);

        float[][] expected = new float[count][];
        RunFolder.Saved saved = RunFolder.open(model);
        try (Model loaded = saved.loadModel(); NDManager manager = NDManager.newBaseManager()) {
            NDArray scores = loaded.getBlock().forward(new ParameterStore(manager, false), new NDList(images.toTensor(manager)), false).head();
            NDArray probabilities = scores.softmax(1);
            for (int i = 0; i < count; i++) expected[i] = probabilities.get(i).toFloatArray();
        }
        try (Classifier classifier = Classifier.load(model)) {
            for (int i = 0; i < count; i++) {
                Path file = dir.resolve(i + ".png");
                BufferedImage picture = images.toImage(i);
                ImageIO.write(picture, "png", file.toFile());
                Classifications answer = classifier.classify(file);
                for (int c = 0; c < 10; c++) {
                    double probability = answer.get(Cifar10.CLASS_NAMES.get(c)).getProbability();
                    assertEquals(expected[i][c], probability, 1e-5, "image " + i + ", class " + c);
                }
                assertEquals(Cifar10.CLASS_NAMES.get(argMax(expected[i])), answer.best().getClassName(), "image " + i);
            }
        }
    }

    private static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    @Test
    void aModelWhoseRecipeTakesSixLooksClassifiesAPictureAsEvaluateScoresIt() throws IOException {
        // A lesson-12 run folder holding the recipe's network, as trained for no epoch at all.
        Path data = TestFiles.cifarFolder(dir.resolve("data"), 4);
        Path run = dir.resolve("run");
        Options options = new Options();
        new CommandLine(options).parseArgs("--data-dir", data.toString(), "--output", run.toString());
        RunFolder folder = RunFolder.newRun(run, TutorialRun.CIFAR10_FAST, options.common);
        DataSplits splits = TutorialRun.CIFAR10_FAST.dataset().load(data);
        folder.recordData(data, splits);
        try (Model model = folder.model(splits.train())) {
            History history = new History();
            history.add(1, 2.3, 0.1, 2.3, 0.1, 1);
            folder.save(model, history, null);
        }
        int count = 6;
        byte[] pixels = new byte[count * 32 * 32 * 3];
        new Random(9).nextBytes(pixels);
        LabeledImages images = new LabeledImages(pixels, new byte[count], 32, 32, 3, Cifar10.CLASS_NAMES);

        RunFolder.Saved saved = RunFolder.open(run);
        assertEquals(6, saved.recipe().looks().count());
        float[][] six = new float[count][];
        float[][] one = new float[count][];
        try (Model loaded = saved.loadModel(); NDManager manager = NDManager.newBaseManager()) {
            ParameterStore parameters = new ParameterStore(manager, false);
            NDArray batch = images.toTensor(manager);
            NDArray sixLooks = saved.recipe().looks().scores(loaded.getBlock(), parameters, batch).softmax(1);
            NDArray oneLook = Evaluation.Looks.ONE.scores(loaded.getBlock(), parameters, batch).softmax(1);
            for (int i = 0; i < count; i++) {
                six[i] = sixLooks.get(i).toFloatArray();
                one[i] = oneLook.get(i).toFloatArray();
            }
        }
        try (Classifier classifier = Classifier.load(run)) {
            for (int i = 0; i < count; i++) {
                Path file = dir.resolve("six-" + i + ".png");
                ImageIO.write(images.toImage(i), "png", file.toFile());
                Classifications answer = classifier.classify(file);
                double furthestFromOneLook = 0;
                for (int c = 0; c < 10; c++) {
                    double probability = answer.get(Cifar10.CLASS_NAMES.get(c)).getProbability();
                    assertEquals(six[i][c], probability, 1e-5, "image " + i + ", class " + c);
                    furthestFromOneLook = Math.max(furthestFromOneLook, Math.abs(probability - one[i][c]));
                }
                assertTrue(furthestFromOneLook > 1e-4, "six looks answer differently from one: image " + i);
            }
        }
    }

    @Command(name = "train")
    static class Options {
        @Mixin CommonOptions common;
    }
}
