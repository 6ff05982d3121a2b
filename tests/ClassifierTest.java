import static org.junit.jupiter.api.Assertions.assertEquals;

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
import lib.LabeledImages;
import lib.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
