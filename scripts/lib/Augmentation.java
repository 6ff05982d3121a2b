package lib;

import ai.djl.ndarray.NDArray;
import ai.djl.translate.Transform;
import java.util.Random;

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
 * take (each call has a fixed cost): the four transforms take a few milliseconds a batch. The
 * {@code flip}, {@code contrast}, {@code rotate} and {@code zoom} methods do the same with settings
 * you choose, which is what the tests use. The new batch belongs to the old one's manager and is
 * freed with it.
 */
public final class Augmentation {
    private Augmentation() {}

    /**
     * The tutorial's augmentation, in its order:
     * {@code RandomFlip("horizontal"), RandomContrast(0.2), RandomRotation(0.1), RandomZoom(0.1)}.
     * Each transform gets its own seed, derived from {@code seed}.
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
     * Keras {@code RandomFlip("horizontal")}: each image is mirrored left-right with probability
     * 1/2. A cat facing left is still a cat; upside down it would be a picture the model never
     * meets, hence no vertical flips. DJL's own {@code RandomFlipLeftRight} isn't used because in
     * DJL 0.36 it returns its input unchanged (it drops the result of its flip), and it would
     * anyway toss one coin for the whole batch, from the global random generator.
     */
    public static final class RandomHorizontalFlip implements Transform {
        private final Random random;

        public RandomHorizontalFlip(long seed) {
            this.random = new Random(seed);
        }

        @Override
        public NDArray transform(NDArray images) {
            boolean[] mirrored = new boolean[imageCount(images)];
            for (int i = 0; i < mirrored.length; i++) mirrored[i] = random.nextBoolean();
            return flip(images, mirrored);
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
    private abstract static class PerImageDraw implements Transform {
        final double factor;
        private final String kerasName;
        private final Random random;

        PerImageDraw(String kerasName, double factor, long seed) {
            this.kerasName = kerasName;
            this.factor = requireFraction(factor, kerasName + " factor");
            this.random = new Random(seed);
        }

        /** The setting for a draw in [-1, 1]. */
        abstract float setting(double draw);

        abstract NDArray apply(NDArray images, float[] settings);

        @Override
        public NDArray transform(NDArray images) {
            float[] settings = new float[imageCount(images)];
            for (int i = 0; i < settings.length; i++) settings[i] = setting(2 * random.nextDouble() - 1);
            return apply(images, settings);
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
        NDArray apply(NDArray images, float[] factors) {
            return contrast(images, factors);
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
        NDArray apply(NDArray images, float[] degrees) {
            return rotate(images, degrees);
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
        NDArray apply(NDArray images, float[] factors) {
            return zoom(images, factors);
        }
    }

    /** Mirrors left-right the images whose entry in {@code mirrored} is true, and keeps the others. */
    public static NDArray flip(NDArray images, boolean[] mirrored) {
        int count = requireOnePerImage(images, mirrored.length);
        int width = (int) images.getShape().get(3);
        int imageSize = count == 0 ? 0 : Math.toIntExact(images.size() / count);
        float[] pixels = images.toFloatArray();
        for (int i = 0; i < count; i++) {
            if (!mirrored[i]) continue;
            for (int row = i * imageSize; row < (i + 1) * imageSize; row += width) { // every row of every channel
                for (int left = row, right = row + width - 1; left < right; left++, right--) {
                    float swap = pixels[left];
                    pixels[left] = pixels[right];
                    pixels[right] = swap;
                }
            }
        }
        return images.getManager().create(pixels, images.getShape());
    }

    /**
     * Multiplies each image's contrast by its factor: every colour channel moves away from (factor
     * above 1) or towards (below 1) its own mean brightness, which stays as it was. Pixels pushed
     * past black or white are clipped to [0, 1].
     */
    public static NDArray contrast(NDArray images, float[] factors) {
        int count = requireOnePerImage(images, factors.length);
        int channels = (int) images.getShape().get(1);
        int channelSize = (int) (images.getShape().get(2) * images.getShape().get(3));
        float[] pixels = images.toFloatArray();
        for (int channel = 0; channel < count * channels; channel++) {
            int start = channel * channelSize;
            double sum = 0;
            for (int p = start; p < start + channelSize; p++) sum += pixels[p];
            float mean = (float) (sum / channelSize);
            float factor = factors[channel / channels];
            for (int p = start; p < start + channelSize; p++) {
                float value = (pixels[p] - mean) * factor + mean;
                pixels[p] = value < 0 ? 0 : value > 1 ? 1 : value; // pixels pushed past black or white stop there
            }
        }
        return images.getManager().create(pixels, images.getShape());
    }

    /** Turns each image about its centre by its angle in degrees; positive turns counter-clockwise. */
    public static NDArray rotate(NDArray images, float[] degrees) {
        int count = requireOnePerImage(images, degrees.length);
        float lastColumn = images.getShape().get(3) - 1;
        float lastRow = images.getShape().get(2) - 1;
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
        return resample(images, sourceOfPixel);
    }

    /**
     * Scales each image about its centre. The factor is how much of the scene the output shows
     * across, as Keras's zoom matrix has it: above 1 zooms out (the picture shrinks and a mirrored
     * border appears), below 1 zooms in, 1 leaves the image as it is.
     */
    public static NDArray zoom(NDArray images, float[] factors) {
        int count = requireOnePerImage(images, factors.length);
        float lastColumn = images.getShape().get(3) - 1;
        float lastRow = images.getShape().get(2) - 1;
        float[][] sourceOfPixel = new float[count][];
        for (int i = 0; i < count; i++) {
            float scale = factors[i];
            sourceOfPixel[i] = new float[] {
                scale, 0, lastColumn / 2 * (1 - scale),
                0, scale, lastRow / 2 * (1 - scale)
            };
        }
        return resample(images, sourceOfPixel);
    }

    /**
     * Rotation and zoom are both "read each output pixel from somewhere else in the input". Row i of
     * {@code sourceOfPixel} is {a, b, c, d, e, f}: output pixel (x, y) of image i is read at
     * (a·x + b·y + c, d·x + e·y + f) in the input, in pixel units (x to the right, y down), between
     * pixels by bilinear interpolation. That is the matrix Keras hands to TensorFlow's
     * ImageProjectiveTransform, which reads a position between pixels as a weighted mean of the
     * four pixels around it (bilinear interpolation), as this does.
     */
    static NDArray resample(NDArray images, float[][] sourceOfPixel) {
        int count = sourceOfPixel.length;
        int channels = (int) images.getShape().get(1);
        int height = (int) images.getShape().get(2);
        int width = (int) images.getShape().get(3);
        int channelSize = height * width;
        float[] in = images.toFloatArray();
        float[] out = new float[in.length];
        for (int i = 0; i < count; i++) {
            float[] m = sourceOfPixel[i];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    float sourceX = reflectIntoImage(m[0] * x + m[1] * y + m[2], width);
                    float sourceY = reflectIntoImage(m[3] * x + m[4] * y + m[5], height);
                    int left = (int) sourceX, top = (int) sourceY; // positions are never negative
                    int right = Math.min(left + 1, width - 1), bottom = Math.min(top + 1, height - 1);
                    float toRight = sourceX - left, down = sourceY - top;
                    for (int channel = 0; channel < channels; channel++) {
                        int base = (i * channels + channel) * channelSize;
                        float upper = (1 - toRight) * in[base + top * width + left] + toRight * in[base + top * width + right];
                        float lower = (1 - toRight) * in[base + bottom * width + left] + toRight * in[base + bottom * width + right];
                        out[base + y * width + x] = (1 - down) * upper + down * lower;
                    }
                }
            }
        }
        return images.getManager().create(out, images.getShape());
    }

    /**
     * Keras's {@code fill_mode="reflect"}: outside the image, the image continues as its mirror
     * image, (d c b a | a b c d | d c b a), the mirrors lying on the outer edges of the border
     * pixels, at -0.5 and size - 0.5. So a position folds back inside like a triangle wave of
     * period 2·size. The result is also kept between the centres of the first and last pixels, as
     * TensorFlow does, so that the four pixels read around it all lie in the image.
     */
    static float reflectIntoImage(float position, int size) {
        float period = 2f * size;
        float fromMirror = position + 0.5f;
        // Rotations and zooms rarely reach beyond one mirror image; the remainder (%) is slow.
        if (fromMirror < 0 || fromMirror >= period) {
            fromMirror %= period;
            if (fromMirror < 0) fromMirror += period;
        } // now in [0, 2·size)
        float folded = size - Math.abs(fromMirror - size) - 0.5f; // in [-0.5, size - 0.5]
        return folded < 0 ? 0 : folded > size - 1 ? size - 1 : folded;
    }

    private static double requireFraction(double factor, String name) {
        if (!(factor >= 0 && factor <= 1)) throw new IllegalArgumentException(name + " must lie in [0, 1], got " + factor);
        return factor;
    }

    private static int imageCount(NDArray images) {
        if (images.getShape().dimension() != 4) {
            throw new IllegalArgumentException("expected a batch of images (N, C, H, W), got shape " + images.getShape());
        }
        return Math.toIntExact(images.getShape().get(0));
    }

    private static int requireOnePerImage(NDArray images, int settings) {
        int count = imageCount(images);
        if (settings != count) {
            throw new IllegalArgumentException(settings + " settings for a batch of " + count + " images " + images.getShape());
        }
        return count;
    }
}
