package lib;

import ai.djl.modality.cv.transform.ToTensor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Transform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import java.util.function.ObjIntConsumer;
import java.util.stream.IntStream;

/**
 * Data augmentation as Keras's preprocessing layers do it: every training batch shows the model
 * slightly different versions of its images (mirrored, rotated, zoomed, with more or less
 * contrast), so it cannot simply memorise the training pictures and has to learn what a cat looks
 * like from any side. Keras switches these layers off outside {@code fit}; here they are
 * transforms of the training dataset only ({@link LabeledImages#toDataset}), which has the same
 * effect: validation and test images are never altered.
 *
 * <p>Each transform works on a whole batch, shape (N, C, H, W), pixels in [0, 1]. It draws one
 * random setting per image in Java, from a seeded {@link Random} of its own (so a run can be
 * repeated), and then alters the batch's pixels in a plain Java loop. The images are small: one
 * pass over a batch's 100,000 numbers costs less than the dozen MXNet calls the same change would
 * take (each call has a fixed cost). {@link #inOnePass} chains the transforms so that the batch
 * leaves MXNet once for all four, not once each, and each image goes through all four while it is
 * in the processor's caches, the images shared among the cores (the engine waits meanwhile).
 * The batch goes back in the layout the engine trains on fastest ({@link Engines#images}).
 * The {@code flip}, {@code contrast}, {@code rotate} and {@code zoom} methods do the same with
 * settings you choose, which is what the tests use. The new batch belongs to the old one's manager
 * and is freed with it.
 */
public final class Augmentation {
    private Augmentation() {}

    /**
     * The tutorial's augmentation, in its order:
     * {@code RandomFlip("horizontal"), RandomContrast(0.2), RandomRotation(0.1), RandomZoom(0.1)}.
     * Each transform gets its own seed, derived from {@code seed}; in a training run each epoch
     * reseeds them from that seed and the epoch's number ({@link EpochDataset}).
     */
    public static Transform[] tutorial(int seed) {
        Random seeds = new Random(seed);
        return new Transform[] {
            new RandomHorizontalFlip(seeds.nextLong()),
            new RandomContrast(0.2, seeds.nextLong()),
            new RandomRotation(0.1, seeds.nextLong()),
            new RandomZoom(0.1, seeds.nextLong())
        };
    }

    /**
     * Random crops and flips, after David Page's and Keller Jordan's CIFAR-10 recipes: each image
     * mirrored left-right with probability 1/2 and shifted by up to 2 pixels each way, the border it
     * uncovers filled by mirroring the picture (a 32x32 crop of the image padded by 2). Lesson 12's
     * recipe flips in turn instead ({@link #cropAndAlternatingFlip}); this is its ablation.
     */
    public static Transform[] cropAndFlip(int seed) {
        Random seeds = new Random(seed);
        return new Transform[] {new RandomHorizontalFlip(seeds.nextLong()), new RandomCrop(2, seeds.nextLong())};
    }

    /**
     * Lesson 12's augmentation after Keller Jordan's airbench: shifts of up to 2 pixels each way
     * (mirrored border), and flips that alternate instead of falling at random: with the training
     * images half mirrored once beforehand ({@link LabeledImages#halfMirrored}), every image is seen
     * as it is in odd epochs and mirrored in even ones, so two epochs in a row always show both
     * sides of each picture (random flips show one side twice a quarter of the time).
     */
    public static Transform[] cropAndAlternatingFlip(int seed) {
        Random seeds = new Random(seed);
        return new Transform[] {new AlternatingFlip(seeds.nextLong()), new RandomCrop(2, seeds.nextLong())};
    }

    /**
     * {@code transforms} as one transform that takes the batch's pixels out of MXNet once, lets each
     * of this class's transforms alter them in turn, image by image, and puts the result back once:
     * the same images as applying them one by one, about a millisecond sooner a CIFAR-10 batch. A
     * {@link ToTensor} first, given a batch of bytes (N, H, W, C), is done in the same pass, with the
     * same numbers. Other transforms in the list run as usual, in their place.
     */
    public static Transform inOnePass(Transform... transforms) {
        return new OnePass(transforms.clone());
    }

    /**
     * What a training dataset does to each batch of bytes (N, H, W, C): DJL's {@link ToTensor}, then
     * {@code augmentation}, all in one pass ({@link #inOnePass}).
     */
    public static Transform scaledInOnePass(Transform... augmentation) {
        Transform[] steps = new Transform[augmentation.length + 1];
        steps[0] = new ToTensor();
        System.arraycopy(augmentation, 0, steps, 1, augmentation.length);
        return inOnePass(steps);
    }

    private record OnePass(Transform[] steps) implements Transform, EpochDataset.EpochSeeded {
        @Override
        public void startEpoch(int epoch) {
            for (Transform step : steps) {
                if (step instanceof EpochDataset.EpochSeeded seeded) seeded.startEpoch(epoch);
            }
        }

        @Override
        public NDArray transform(NDArray images) {
            NDArray result = images;
            // A ToTensor first, on a batch of bytes, is done in Java with the rest: a quarter of the
            // numbers leave the engine (bytes, not floats), and the engine skips a pass over the batch.
            boolean fromBytes = steps.length > 0 && steps[0] instanceof ToTensor
                    && images.getDataType() == DataType.UINT8 && images.getShape().dimension() == 4;
            List<ImageStep> pending = new ArrayList<>(); // this class's transforms, their settings drawn
            for (int i = fromBytes ? 1 : 0; i < steps.length; i++) {
                if (steps[i] instanceof PixelTransform pixelStep) {
                    pending.add(pixelStep.draw(fromBytes ? channelsFirst(result.getShape()) : result.getShape()));
                } else {
                    result = applyAll(result, pending, fromBytes);
                    fromBytes = false;
                    pending.clear();
                    result = steps[i].transform(result);
                }
            }
            return applyAll(result, pending, fromBytes);
        }

        private static NDArray applyAll(NDArray images, List<ImageStep> steps, boolean fromBytes) {
            if (!fromBytes) {
                if (steps.isEmpty()) return images;
                float[] pixels = imageByImage(images.toFloatArray(), imageCount(images.getShape()), steps);
                return Engines.images(images.getManager(), pixels, images.getShape());
            }
            Shape shape = channelsFirst(images.getShape());
            byte[] bytes = images.toByteArray();
            List<ImageStep> all = new ArrayList<>(List.of(toTensor(bytes, shape)));
            all.addAll(steps);
            float[] pixels = imageByImage(new float[bytes.length], imageCount(shape), all);
            return Engines.images(images.getManager(), pixels, shape);
        }
    }

    /** The shape (N, C, H, W) of a batch of images (N, H, W, C). */
    private static Shape channelsFirst(Shape shape) {
        return new Shape(shape.get(0), shape.get(3), shape.get(1), shape.get(2));
    }

    /**
     * DJL's {@link ToTensor} in Java, an image at a time: bytes laid out (N, H, W, C) become floats
     * in [0, 1] laid out as {@code shape} (N, C, H, W) says, each divided by 255 as the engine does,
     * so the same numbers.
     */
    private static ImageStep toTensor(byte[] bytes, Shape shape) {
        int channels = (int) shape.get(1), height = (int) shape.get(2), width = (int) shape.get(3);
        return inPlace((pixels, i) -> {
            for (int channel = 0; channel < channels; channel++) {
                int to = (i * channels + channel) * height * width;
                for (int from = i * height * width * channels + channel, end = from + height * width * channels;
                        from < end; from += channels) {
                    pixels[to++] = BYTE_SCALED[bytes[from] & 0xFF];
                }
            }
        });
    }

    /** Each byte value divided by 255, worked out once: looking a pixel up is several times quicker than dividing it. */
    private static final float[] BYTE_SCALED = new float[256];

    static {
        for (int value = 0; value < 256; value++) BYTE_SCALED[value] = value / 255f;
    }

    /** A transform that works on a batch's pixels in Java: a float[] laid out as the shape (N, C, H, W) says. */
    private interface PixelTransform extends Transform, EpochDataset.EpochSeeded {
        /** This batch's random settings, one per image, drawn from the transform's own generator, ready to apply. */
        ImageStep draw(Shape shape);

        @Override
        default NDArray transform(NDArray images) {
            return inOnePass(this).transform(images);
        }
    }

    /**
     * One transform with its settings for a batch, applied an image at a time: {@code change} alters
     * one image of a batch, where it is ({@code inPlace}) or written anew into a second array.
     */
    private record ImageStep(boolean inPlace, ImageChange change) {}

    /** Alters image {@code image} of the batch {@code in}, into {@code out} ({@code in} itself for a step in place). */
    @FunctionalInterface
    private interface ImageChange {
        void apply(float[] in, float[] out, int image);
    }

    /** A step that changes image i of the batch where it is. */
    private static ImageStep inPlace(ObjIntConsumer<float[]> change) {
        return new ImageStep(true, (in, out, image) -> change.accept(in, image));
    }

    /** A step that writes each new image into a second array. */
    private static ImageStep intoNewImage(ImageChange change) {
        return new ImageStep(false, change);
    }

    /**
     * Runs {@code steps} on a batch: each image goes through all of them in turn while it is in the
     * processor's caches, and the images are shared among the cores (the engine waits for the batch
     * meanwhile). Each image's settings are drawn before, so every image comes out the same whichever
     * thread computes it. Returns the array that holds the result: {@code pixels}, or a second array
     * of its size for steps that write a new image.
     */
    private static float[] imageByImage(float[] pixels, int count, List<ImageStep> steps) {
        long writesNew = steps.stream().filter(step -> !step.inPlace()).count();
        float[] spare = writesNew == 0 ? pixels : new float[pixels.length];
        IntStream.range(0, count).parallel().forEach(image -> {
            float[] in = pixels, out = spare;
            for (ImageStep step : steps) {
                if (step.inPlace()) {
                    step.change().apply(in, in, image);
                } else {
                    step.change().apply(in, out, image);
                    float[] swap = in;
                    in = out;
                    out = swap;
                }
            }
        });
        return writesNew % 2 == 0 ? pixels : spare;
    }

    /** A pixel transform with a generator of its own, reseeded from its seed and the epoch's number. */
    private abstract static class SeededTransform implements PixelTransform {
        private final long seed;
        final Random random;

        SeededTransform(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
        }

        @Override
        public void startEpoch(int epoch) {
            random.setSeed(EpochDataset.seedFor(seed, epoch, 1));
        }
    }

    /** {@code step} on every image of the batch, with settings you chose. */
    private static NDArray onPixels(NDArray images, ImageStep step) {
        float[] pixels = imageByImage(images.toFloatArray(), imageCount(images.getShape()), List.of(step));
        return images.getManager().create(pixels, images.getShape());
    }

    /** Every image mirrored in even epochs, none in odd ones (epochs count from 1). */
    public static final class AlternatingFlip extends SeededTransform {
        private int epoch = 1;

        public AlternatingFlip(long seed) {
            super(seed);
        }

        @Override
        public void startEpoch(int epoch) {
            super.startEpoch(epoch);
            this.epoch = epoch;
        }

        @Override
        public ImageStep draw(Shape shape) {
            boolean[] mirrored = new boolean[imageCount(shape)];
            Arrays.fill(mirrored, epoch % 2 == 0);
            return flip(shape, mirrored);
        }

        @Override
        public String toString() {
            return "AlternatingFlip";
        }
    }

    /**
     * Keras {@code RandomFlip("horizontal")}: each image is mirrored left-right with probability
     * 1/2. A cat facing left is still a cat; upside down it would be a picture the model never
     * meets, hence no vertical flips. DJL's own {@code RandomFlipLeftRight} isn't used because in
     * DJL 0.36 it returns its input unchanged (it drops the result of its flip), and it would
     * anyway toss one coin for the whole batch, from the global random generator.
     */
    public static final class RandomHorizontalFlip extends SeededTransform {
        public RandomHorizontalFlip(long seed) {
            super(seed);
        }

        @Override
        public ImageStep draw(Shape shape) {
            boolean[] mirrored = new boolean[imageCount(shape)];
            for (int i = 0; i < mirrored.length; i++) mirrored[i] = random.nextBoolean();
            return flip(shape, mirrored);
        }

        @Override
        public String toString() {
            return "RandomFlip(\"horizontal\")";
        }
    }

    /**
     * A Keras layer with one setting per image, drawn uniformly from [-factor, +factor] around the
     * setting that leaves the image as it is. Subclasses say how a draw becomes a setting and what
     * the setting does to the batch.
     */
    private abstract static class PerImageDraw extends SeededTransform {
        final double factor;
        private final String kerasName;

        PerImageDraw(String kerasName, double factor, long seed) {
            super(seed);
            this.kerasName = kerasName;
            this.factor = requireFraction(factor, kerasName + " factor");
        }

        /** The setting for a draw in [-1, 1]. */
        abstract float setting(double draw);

        abstract ImageStep step(Shape shape, float[] settings);

        @Override
        public ImageStep draw(Shape shape) {
            float[] settings = new float[imageCount(shape)];
            for (int i = 0; i < settings.length; i++) settings[i] = setting(2 * random.nextDouble() - 1);
            return step(shape, settings);
        }

        @Override
        public String toString() {
            return kerasName + "(" + factor + ")";
        }
    }

    /**
     * Keras {@code RandomContrast(factor)}: each image's contrast is multiplied by a factor drawn
     * from [1 - factor, 1 + factor], as photos taken in flat or harsh light would differ.
     */
    public static final class RandomContrast extends PerImageDraw {
        public RandomContrast(double factor, long seed) {
            super("RandomContrast", factor, seed);
        }

        @Override
        float setting(double draw) {
            return (float) (1 + factor * draw);
        }

        @Override
        ImageStep step(Shape shape, float[] factors) {
            return contrast(shape, factors);
        }
    }

    /**
     * Keras {@code RandomRotation(factor)}: each image is turned about its centre by an angle
     * drawn from [-factor, +factor] of a full turn (0.1 is up to 36 degrees either way), as a
     * tilted camera would. Corners that come from outside the picture are filled by mirroring
     * it (Keras's default {@code fill_mode="reflect"}), so no black wedges appear that the model
     * could learn to look for.
     */
    public static final class RandomRotation extends PerImageDraw {
        public RandomRotation(double factor, long seed) {
            super("RandomRotation", factor, seed);
        }

        @Override
        float setting(double draw) {
            return (float) (360 * factor * draw);
        }

        @Override
        ImageStep step(Shape shape, float[] degrees) {
            return rotate(shape, degrees);
        }
    }

    /**
     * Keras {@code RandomZoom(factor)}: each image is enlarged or shrunk about its centre, height
     * and width alike, by a scale drawn from [1 - factor, 1 + factor], as if the object stood
     * nearer or farther. The output keeps its size: zooming in crops the border, zooming out fills
     * it by mirroring the picture, as Keras does.
     */
    public static final class RandomZoom extends PerImageDraw {
        public RandomZoom(double factor, long seed) {
            super("RandomZoom", factor, seed);
        }

        @Override
        float setting(double draw) {
            return (float) (1 + factor * draw);
        }

        @Override
        ImageStep step(Shape shape, float[] factors) {
            return zoom(shape, factors);
        }
    }

    /**
     * Each image shifted by a whole number of pixels drawn from [-padding, padding] across and the
     * same down: the image padded by {@code padding} mirrored pixels on every side, then cropped
     * back to its size at a random place.
     */
    public static final class RandomCrop extends SeededTransform {
        private final int padding;

        public RandomCrop(int padding, long seed) {
            super(seed);
            if (padding < 0) throw new IllegalArgumentException("padding must be 0 or more, got " + padding);
            this.padding = padding;
        }

        @Override
        public ImageStep draw(Shape shape) {
            int[] across = new int[imageCount(shape)];
            int[] down = new int[across.length];
            for (int i = 0; i < across.length; i++) {
                across[i] = random.nextInt(2 * padding + 1) - padding;
                down[i] = random.nextInt(2 * padding + 1) - padding;
            }
            return shift(shape, across, down);
        }

        @Override
        public String toString() {
            return "RandomCrop(32, padding=" + padding + ")";
        }
    }

    /** Moves each image left by {@code across[i]} pixels and up by {@code down[i]} (negative: right, down), the border mirrored. */
    public static NDArray shift(NDArray images, int[] across, int[] down) {
        return onPixels(images, shift(images.getShape(), across, down));
    }

    /**
     * Output pixel (x, y) reads input pixel (x + across, y + down), folded back into the image as
     * {@link #reflectIntoImage} folds any position: whole pixels, so copied, not interpolated. The
     * same numbers as {@link #resample} with a shift for matrix, row by row instead of pixel by pixel.
     */
    private static ImageStep shift(Shape shape, int[] across, int[] down) {
        requireOnePerImage(shape, across.length);
        int channels = (int) shape.get(1);
        int height = (int) shape.get(2);
        int width = (int) shape.get(3);
        return intoNewImage((in, out, i) -> {
            float[] columnRead = foldedPositions(width, x -> x + across[i]);
            float[] rowRead = foldedPositions(height, y -> y + down[i]);
            int[] sourceColumn = new int[width], sourceRow = new int[height];
            for (int x = 0; x < width; x++) sourceColumn[x] = (int) columnRead[x];
            for (int y = 0; y < height; y++) sourceRow[y] = (int) rowRead[y];
            for (int channel = 0; channel < channels; channel++) {
                int plane = (i * channels + channel) * height * width;
                for (int y = 0; y < height; y++) {
                    int from = plane + sourceRow[y] * width, to = plane + y * width;
                    for (int x = 0; x < width; x++) out[to + x] = in[from + sourceColumn[x]];
                }
            }
        });
    }

    /** Mirrors left-right the images whose entry in {@code mirrored} is true, and keeps the others. */
    public static NDArray flip(NDArray images, boolean[] mirrored) {
        return onPixels(images, flip(images.getShape(), mirrored));
    }

    private static ImageStep flip(Shape shape, boolean[] mirrored) {
        int count = requireOnePerImage(shape, mirrored.length);
        int width = (int) shape.get(3);
        int imageSize = count == 0 ? 0 : Math.toIntExact(shape.size() / count);
        return inPlace((pixels, i) -> {
            if (!mirrored[i]) return;
            for (int row = i * imageSize; row < (i + 1) * imageSize; row += width) { // every row of every channel
                for (int left = row, right = row + width - 1; left < right; left++, right--) {
                    float swap = pixels[left];
                    pixels[left] = pixels[right];
                    pixels[right] = swap;
                }
            }
        });
    }

    /**
     * Multiplies each image's contrast by its factor: every colour channel moves away from (factor
     * above 1) or towards (below 1) its own mean brightness, which stays as it was. Pixels pushed
     * past black or white are clipped to [0, 1].
     */
    public static NDArray contrast(NDArray images, float[] factors) {
        return onPixels(images, contrast(images.getShape(), factors));
    }

    private static ImageStep contrast(Shape shape, float[] factors) {
        requireOnePerImage(shape, factors.length);
        int channels = (int) shape.get(1);
        int channelSize = (int) (shape.get(2) * shape.get(3));
        return inPlace((pixels, i) -> {
            for (int channel = i * channels; channel < (i + 1) * channels; channel++) {
                int start = channel * channelSize, end = start + channelSize;
                double sum = 0;
                for (int p = start; p < end; p++) sum += pixels[p];
                float mean = (float) (sum / channelSize);
                float factor = factors[i];
                for (int p = start; p < end; p++) {
                    float value = (pixels[p] - mean) * factor + mean;
                    pixels[p] = value < 0 ? 0 : value > 1 ? 1 : value; // pixels pushed past black or white stop there
                }
            }
        });
    }

    /** Turns each image about its centre by its angle in degrees; positive turns counter-clockwise. */
    public static NDArray rotate(NDArray images, float[] degrees) {
        return onPixels(images, rotate(images.getShape(), degrees));
    }

    private static ImageStep rotate(Shape shape, float[] degrees) {
        int count = requireOnePerImage(shape, degrees.length);
        float lastColumn = shape.get(3) - 1;
        float lastRow = shape.get(2) - 1;
        float[][] sourceOfPixel = new float[count][];
        for (int i = 0; i < count; i++) {
            double angle = Math.toRadians(degrees[i]);
            float cos = (float) Math.cos(angle);
            float sin = (float) Math.sin(angle);
            // Keras's rotation matrix: the output's centre pixel is read from the input's centre.
            sourceOfPixel[i] = new float[] {
                cos, -sin, (lastColumn - (cos * lastColumn - sin * lastRow)) / 2,
                sin, cos, (lastRow - (sin * lastColumn + cos * lastRow)) / 2
            };
        }
        return resample(shape, sourceOfPixel);
    }

    /**
     * Scales each image about its centre. The factor is how much of the scene the output shows
     * across, as Keras's zoom matrix has it: above 1 zooms out (the picture shrinks and a mirrored
     * border appears), below 1 zooms in, 1 leaves the image as it is.
     */
    public static NDArray zoom(NDArray images, float[] factors) {
        return onPixels(images, zoom(images.getShape(), factors));
    }

    private static ImageStep zoom(Shape shape, float[] factors) {
        int count = requireOnePerImage(shape, factors.length);
        float lastColumn = shape.get(3) - 1;
        float lastRow = shape.get(2) - 1;
        float[][] sourceOfPixel = new float[count][];
        for (int i = 0; i < count; i++) {
            float scale = factors[i];
            sourceOfPixel[i] = new float[] {
                scale, 0, lastColumn / 2 * (1 - scale),
                0, scale, lastRow / 2 * (1 - scale)
            };
        }
        return resample(shape, sourceOfPixel);
    }

    /**
     * Rotation and zoom are both "read each output pixel from somewhere else in the input". Row i of
     * {@code sourceOfPixel} is {a, b, c, d, e, f}: output pixel (x, y) of image i is read at
     * (a·x + b·y + c, d·x + e·y + f) in the input, in pixel units (x to the right, y down), between
     * pixels by bilinear interpolation. That is the matrix Keras hands to TensorFlow's
     * ImageProjectiveTransform, which reads a position between pixels as a weighted mean of the
     * four pixels around it (bilinear interpolation), as this does.
     */
    private static ImageStep resample(Shape shape, float[][] sourceOfPixel) {
        int channels = (int) shape.get(1);
        int height = (int) shape.get(2);
        int width = (int) shape.get(3);
        int channelSize = height * width;
        return intoNewImage((in, out, i) -> {
            float a = sourceOfPixel[i][0], b = sourceOfPixel[i][1], c = sourceOfPixel[i][2];
            float d = sourceOfPixel[i][3], e = sourceOfPixel[i][4], f = sourceOfPixel[i][5];
            int firstPixel = i * channels * channelSize;
            if (b == 0 && d == 0) { // a zoom: the column read depends on x alone, the row on y alone
                resampleRowsAndColumns(in, out, firstPixel, channels, height, width, sourceOfPixel[i]);
                return;
            }
            // a·x and d·x are the same in every row: worked out once, then the positions of a whole
            // row are folded into the image in one call (the same numbers as pixel by pixel).
            float[] ax = new float[width], dx = new float[width];
            for (int x = 0; x < width; x++) {
                ax[x] = a * x;
                dx[x] = d * x;
            }
            float[] sourceX = new float[width], sourceY = new float[width];
            for (int y = 0; y < height; y++) {
                float by = b * y, ey = e * y;
                for (int x = 0; x < width; x++) {
                    sourceX[x] = ax[x] + by + c;
                    sourceY[x] = dx[x] + ey + f;
                }
                reflectIntoImage(sourceX, width);
                reflectIntoImage(sourceY, height);
                for (int x = 0; x < width; x++) {
                    int left = (int) sourceX[x], top = (int) sourceY[x]; // positions are never negative
                    float toRight = sourceX[x] - left, down = sourceY[x] - top;
                    float toLeft = 1 - toRight, up = 1 - down;
                    // The four pixels around the position, in the first channel; the last row and column have no neighbour.
                    int topLeft = firstPixel + top * width + left;
                    int toRightPixel = left + 1 < width ? 1 : 0;
                    int toPixelBelow = top + 1 < height ? width : 0;
                    int target = firstPixel + y * width + x;
                    for (int channelStart = 0; channelStart < channels * channelSize; channelStart += channelSize) {
                        int pixel = topLeft + channelStart;
                        float upper = toLeft * in[pixel] + toRight * in[pixel + toRightPixel];
                        float lower = toLeft * in[pixel + toPixelBelow] + toRight * in[pixel + toPixelBelow + toRightPixel];
                        out[target + channelStart] = up * upper + down * lower;
                    }
                }
            }
        });
    }

    /**
     * {@link #resample} for a matrix whose b and d are zero: the same numbers, computed once per
     * column and once per row instead of once per pixel. (b·y and d·x are then zeros, and b·0, d·0
     * the very same zeros, so every position, weight and sum is the one the general loop computes.)
     */
    private static void resampleRowsAndColumns(float[] in, float[] out, int firstPixel, int channels, int height, int width,
            float[] matrix) {
        float a = matrix[0], b = matrix[1], c = matrix[2], d = matrix[3], e = matrix[4], f = matrix[5];
        float[] sourceX = foldedPositions(width, x -> a * x + b * 0 + c);
        float[] sourceY = foldedPositions(height, y -> d * 0 + e * y + f);
        int[] left = new int[width], right = new int[width];
        float[] toLeft = new float[width], toRight = new float[width];
        for (int x = 0; x < width; x++) {
            left[x] = (int) sourceX[x];
            right[x] = left[x] + (left[x] + 1 < width ? 1 : 0);
            toRight[x] = sourceX[x] - left[x];
            toLeft[x] = 1 - toRight[x];
        }
        int channelSize = height * width;
        for (int y = 0; y < height; y++) {
            int top = (int) sourceY[y];
            int bottom = top + (top + 1 < height ? 1 : 0);
            float down = sourceY[y] - top, up = 1 - down;
            for (int channelStart = firstPixel; channelStart < firstPixel + channels * channelSize; channelStart += channelSize) {
                int upperRow = channelStart + top * width, lowerRow = channelStart + bottom * width;
                int target = channelStart + y * width;
                for (int x = 0; x < width; x++) {
                    float upper = toLeft[x] * in[upperRow + left[x]] + toRight[x] * in[upperRow + right[x]];
                    float lower = toLeft[x] * in[lowerRow + left[x]] + toRight[x] * in[lowerRow + right[x]];
                    out[target + x] = up * upper + down * lower;
                }
            }
        }
    }

    /** The positions {@code at(0)} to {@code at(size - 1)} along one side of an image, each folded into it. */
    private static float[] foldedPositions(int size, IntToDoubleFunction at) {
        float[] positions = new float[size];
        for (int k = 0; k < size; k++) positions[k] = (float) at.applyAsDouble(k); // a float widened and back: the same number
        reflectIntoImage(positions, size);
        return positions;
    }

    /**
     * Keras's {@code fill_mode="reflect"}: outside the image, the image continues as its mirror
     * image, (d c b a | a b c d | d c b a), the mirrors lying on the outer edges of the border
     * pixels, at -0.5 and size - 0.5. So a position folds back inside like a triangle wave of
     * period 2·size. The result is also kept between the centres of the first and last pixels, as
     * TensorFlow does, so that the four pixels read around it all lie in the image. Folds every
     * position of {@code positions} in place: one call a row of pixels, not one a pixel, as the
     * quick compiler calls a method this long each time instead of copying it into the loop.
     */
    static void reflectIntoImage(float[] positions, int size) {
        float period = 2f * size;
        for (int k = 0; k < positions.length; k++) {
            float fromMirror = positions[k] + 0.5f;
            // Rotations and zooms rarely reach beyond one mirror image; the remainder (%) is slow.
            if (fromMirror < 0 || fromMirror >= period) {
                fromMirror %= period;
                if (fromMirror < 0) fromMirror += period;
            } // now in [0, 2·size)
            float folded = size - Math.abs(fromMirror - size) - 0.5f; // in [-0.5, size - 0.5]
            positions[k] = folded < 0 ? 0 : folded > size - 1 ? size - 1 : folded;
        }
    }

    private static double requireFraction(double factor, String name) {
        if (!(factor >= 0 && factor <= 1)) throw new IllegalArgumentException(name + " must lie in [0, 1], got " + factor);
        return factor;
    }

    private static int imageCount(Shape shape) {
        if (shape.dimension() != 4) {
            throw new IllegalArgumentException("expected a batch of images (N, C, H, W), got shape " + shape);
        }
        return Math.toIntExact(shape.get(0));
    }

    private static int requireOnePerImage(Shape shape, int settings) {
        int count = imageCount(shape);
        if (settings != count) {
            throw new IllegalArgumentException(settings + " settings for a batch of " + count + " images " + shape);
        }
        return count;
    }
}
