package lib;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.transform.ToTensor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained model you can ask about pictures, from any Java program:
 * <pre>
 * try (Classifier classifier = Classifier.load(Path.of("models/cifar10"))) {
 *     Classifications answer = classifier.classify(Path.of("cat.jpg"));
 *     System.out.println(answer.best().getClassName() + " " + answer.best().getProbability());
 * }
 * </pre>
 * It loads a run folder (the weights its manifest names), and classifies with a DJL
 * {@link Predictor} whose {@link Translator} prepares each picture exactly as the training data
 * was ({@link NetworkInput}) and turns the network's ten scores into probabilities (softmax). A
 * model whose recipe takes several looks at each test image ({@link Evaluation.Looks}) takes them at
 * each picture too, so it answers as {@code evaluate} scores.
 */
public final class Classifier implements AutoCloseable {
    private final RunFolder.Saved run;
    private final Model model;
    private final Predictor<Image, Classifications> predictor;
    private final NetworkInput.Invert invert;

    private Classifier(RunFolder.Saved run, NetworkInput.Invert invert) {
        this.run = run;
        this.invert = invert;
        this.model = run.loadModel();
        Evaluation.Looks looks = run.recipe().looks(); // lesson 12's recipe: six looks at each picture
        if (looks.count() > 1) model.setBlock(looks.around(model.getBlock()));
        this.predictor = model.newPredictor(new PictureTranslator(run.run().dataset(), invert));
    }

    /** The model in a run folder (e.g. models/cifar10 or output/fashion-mnist). */
    public static Classifier load(Path runFolder) {
        Engines.prepareOnce(); // in a program of your own, before anything else starts the engine
        return new Classifier(RunFolder.open(runFolder), NetworkInput.Invert.AUTO);
    }

    /** The model of {@code run}, swapping light and dark of Fashion-MNIST inputs as {@code invert} says. */
    public static Classifier of(RunFolder.Saved run, NetworkInput.Invert invert) {
        return new Classifier(run, invert);
    }

    /** The run this model comes from: its dataset, network and class names. */
    public RunFolder.Saved run() {
        return run;
    }

    /** The probability of each class for the picture in {@code file}, most likely first. */
    public Classifications classify(Path file) {
        return classify(ImageFactory.getInstance().fromImage(ImageFiles.read(file)));
    }

    public Classifications classify(Image picture) {
        try {
            return predictor.predict(picture);
        } catch (TranslateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Several pictures in one batch: quicker than one by one. */
    public List<Classifications> classifyAll(List<Image> pictures) {
        try {
            return predictor.batchPredict(pictures);
        } catch (TranslateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the network is shown for {@code picture}: its size, its colours. */
    public BufferedImage networkInput(BufferedImage picture) {
        return NetworkInput.prepare(picture, run.run().dataset(), invert);
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }

    /** DJL's Translator: a picture in, the classes' probabilities out. */
    private record PictureTranslator(TutorialRun.Dataset dataset, NetworkInput.Invert invert)
            implements Translator<Image, Classifications> {
        @Override
        public NDList processInput(TranslatorContext context, Image picture) {
            BufferedImage prepared = NetworkInput.prepare((BufferedImage) picture.getWrappedImage(), dataset, invert);
            Shape shape = new Shape(prepared.getHeight(), prepared.getWidth(), dataset.imageShape().get(0));
            NDArray bytes = context.getNDManager().create(ByteBuffer.wrap(NetworkInput.pixels(prepared)), shape, DataType.UINT8);
            return new NDList(new ToTensor().transform(bytes)); // (C, H, W) in [0, 1], as in training
        }

        @Override
        public Classifications processOutput(TranslatorContext context, NDList scores) {
            NDArray probabilities = scores.singletonOrThrow().softmax(0);
            return new Classifications(dataset.classNames(), probabilities);
        }

        @Override
        public Batchifier getBatchifier() {
            return Batchifier.STACK;
        }
    }
}
