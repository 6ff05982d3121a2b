import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.modality.cv.transform.ToTensor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Transform;
import java.util.Arrays;
import java.util.Random;
import lib.Augmentation;
import lib.Engines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AugmentationTest {
    private static final float TOLERANCE = 1e-5f;

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    // ---- the batch handed back to the engine

    @Test
    void theAugmentedBatchHoldsThePixelsItWasMadeFrom() {
        float[] pixels = new float[2 * 3 * 4 * 5];
        Random random = new Random(7);
        for (int i = 0; i < pixels.length; i++) pixels[i] = random.nextFloat();
        NDArray images = Engines.images(manager, pixels, new Shape(2, 3, 4, 5));
        assertEquals(new Shape(2, 3, 4, 5), images.getShape());
        assertArrayEquals(pixels, images.toFloatArray());
    }

    @Test
    void onPyTorchTheAugmentedBatchIsStoredChannelsLast() {
        Assumptions.assumeTrue(Engines.chosen() == Engines.Name.PyTorch, "a PyTorch layout");
        NDArray images = Engines.images(manager, new float[2 * 3 * 4 * 5], new Shape(2, 3, 4, 5));
        assertChannelsLast(images);
        assertChannelsLast(Augmentation.inOnePass(Augmentation.tutorial(1)).transform(manager.zeros(new Shape(2, 3, 4, 5))));
    }

    private static void assertChannelsLast(NDArray images) {
        // PyTorch lends its own memory (tryDirect) only for an array stored in (N, C, H, W) order;
        // for one stored channels-last it hands out a rearranged copy, so writing there leaves the batch as it was.
        images.toByteBuffer(true).asFloatBuffer().put(0, 1f);
        assertEquals(0f, images.toFloatArray()[0], "the batch is stored in (N, C, H, W) order");
    }

    // ---- flip

    @Test
    void flipMirrorsLeftRightExactlyAndLeavesTheOthersAlone() {
        NDArray images = manager.arange(0f, 2 * 2 * 2 * 3f).div(24f).reshape(2, 2, 2, 3); // 2 images, 2 channels, 2 x 3
        float[] before = images.toFloatArray();
        float[] after = Augmentation.flip(images, new boolean[] {true, false}).toFloatArray();
        for (int channel = 0; channel < 2; channel++) {
            for (int row = 0; row < 2; row++) {
                for (int column = 0; column < 3; column++) {
                    // image 0: each row reversed, rows and channels where they were
                    assertEquals(before[index(0, channel, row, 2 - column)], after[index(0, channel, row, column)]);
                    // image 1: untouched
                    assertEquals(before[index(1, channel, row, column)], after[index(1, channel, row, column)]);
                }
            }
        }
    }

    private static int index(int image, int channel, int row, int column) {
        return ((image * 2 + channel) * 2 + row) * 3 + column;
    }

    @Test
    void randomFlipMirrorsAboutHalfTheImagesEachWhole() {
        int count = 1000;
        float[] pairs = new float[count * 2];
        for (int i = 0; i < count; i++) pairs[2 * i + 1] = 1; // every image is the row (0, 1)
        NDArray images = manager.create(pairs, new Shape(count, 1, 1, 2));
        float[] out = new Augmentation.RandomHorizontalFlip(42).transform(images).toFloatArray();
        int mirrored = 0;
        for (int i = 0; i < count; i++) {
            boolean isMirror = out[2 * i] == 1 && out[2 * i + 1] == 0;
            boolean isOriginal = out[2 * i] == 0 && out[2 * i + 1] == 1;
            assertTrue(isMirror || isOriginal, "image " + i + " is neither itself nor its mirror");
            if (isMirror) mirrored++;
        }
        assertTrue(mirrored > 440 && mirrored < 560, mirrored + " of 1000 mirrored");
    }

    // ---- contrast

    /** Each image's mean per channel, shaped (images, channels, 1, 1); one axis at a time, as every engine can. */
    private static NDArray channelMeans(NDArray images) {
        Shape shape = images.getShape();
        return images.reshape(shape.get(0), shape.get(1), -1).mean(new int[] {2}, true).reshape(shape.get(0), shape.get(1), 1, 1);
    }

    @Test
    void contrastKeepsEachChannelsMeanAndScalesItsDeviations() {
        NDArray images = manager.randomUniform(0.4f, 0.6f, new Shape(3, 3, 5, 5)); // stays in [0, 1] at x1.2
        float[] factors = {0.8f, 1f, 1.2f};
        NDArray out = Augmentation.contrast(images, factors);
        assertClose(channelMeans(images).toFloatArray(), channelMeans(out).toFloatArray(), 1e-5f);
        NDArray expected = images.sub(channelMeans(images))
                .mul(manager.create(factors, new Shape(3, 1, 1, 1))).add(channelMeans(images));
        assertClose(expected.toFloatArray(), out.toFloatArray(), 1e-5f);
    }

    @Test
    void randomContrastFactorsLieWithinPlusMinusTwentyPercentAndVary() {
        int count = 200;
        NDArray images = manager.randomUniform(0.4f, 0.6f, new Shape(count, 3, 4, 4));
        NDArray deviations = images.sub(channelMeans(images));
        NDArray out = new Augmentation.RandomContrast(0.2, 7).transform(images);
        NDArray outDeviations = out.sub(channelMeans(out));
        // The factor of each image and channel: ratio of the spread after to the spread before.
        float[] ratios = channelMeans(outDeviations.abs()).div(channelMeans(deviations.abs())).toFloatArray();
        float smallest = Float.MAX_VALUE;
        float largest = -Float.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            assertEquals(ratios[3 * i], ratios[3 * i + 1], 1e-4, "one factor for all channels of image " + i);
            assertEquals(ratios[3 * i], ratios[3 * i + 2], 1e-4, "one factor for all channels of image " + i);
            smallest = Math.min(smallest, ratios[3 * i]);
            largest = Math.max(largest, ratios[3 * i]);
        }
        assertTrue(smallest >= 0.8f - 1e-4 && smallest < 0.85f, "smallest factor " + smallest);
        assertTrue(largest <= 1.2f + 1e-4 && largest > 1.15f, "largest factor " + largest);
    }

    @Test
    void contrastClipsToBlackAndWhite() {
        NDArray images = manager.create(new float[] {0f, 0.1f, 0.9f, 1f}, new Shape(1, 1, 2, 2)); // mean 0.5
        float[] out = Augmentation.contrast(images, new float[] {1.5f}).toFloatArray();
        assertClose(new float[] {0f, 0f, 1f, 1f}, out, TOLERANCE);
    }

    // ---- rotation

    @Test
    void rotatingByNinetyDegreesTurnsCounterClockwise() {
        // 4 x 4, all values different; turning a quarter counter-clockwise puts the last column on top.
        NDArray image = manager.arange(0f, 16f).div(16f).reshape(1, 1, 4, 4);
        float[] in = image.toFloatArray();
        float[] out = Augmentation.rotate(image, new float[] {90}).toFloatArray();
        float[] clockwise = Augmentation.rotate(image, new float[] {-90}).toFloatArray();
        for (int row = 0; row < 4; row++) {
            for (int column = 0; column < 4; column++) {
                assertEquals(in[column * 4 + (3 - row)], out[row * 4 + column], TOLERANCE, "counter-clockwise at " + row + "," + column);
                assertEquals(in[(3 - column) * 4 + row], clockwise[row * 4 + column], TOLERANCE, "clockwise at " + row + "," + column);
            }
        }
    }

    @Test
    void aBrightPixelRightOfCentreMovesAboveItAfterAQuarterTurn() {
        float[] dark = new float[5 * 5];
        dark[2 * 5 + 4] = 1; // row 2 (the middle), column 4 (right edge)
        NDArray image = manager.create(dark, new Shape(1, 1, 5, 5));
        float[] out = Augmentation.rotate(image, new float[] {90}).toFloatArray();
        assertEquals(1f, out[0 * 5 + 2], TOLERANCE); // row 0 (top), column 2 (the middle)
        assertEquals(1f, sum(out), TOLERANCE); // and nowhere else
    }

    @Test
    void rotatingByZeroDegreesChangesNothing() {
        NDArray images = manager.randomUniform(0f, 1f, new Shape(2, 3, 7, 9));
        assertClose(images.toFloatArray(), Augmentation.rotate(images, new float[] {0, 0}).toFloatArray(), TOLERANCE);
    }

    @Test
    void randomRotationAnglesSpreadOverPlusMinusThirtySixDegrees() {
        // On a brightness ramp (left dark, right bright) the direction of the ramp at the centre after
        // rotating tells the angle: the ramp turns with the image.
        int count = 300;
        int side = 9;
        float[] ramp = new float[count * side * side];
        for (int p = 0; p < ramp.length; p++) ramp[p] = (p % side) / (side - 1f);
        NDArray images = manager.create(ramp, new Shape(count, 1, side, side));
        float[] out = new Augmentation.RandomRotation(0.1, 3).transform(images).toFloatArray();
        double smallest = Double.MAX_VALUE;
        double largest = -Double.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            int centre = i * side * side + 4 * side + 4;
            double alongX = out[centre + 1] - out[centre - 1];
            double alongY = out[centre + side] - out[centre - side];
            double degrees = Math.toDegrees(Math.atan2(-alongY, alongX));
            smallest = Math.min(smallest, degrees);
            largest = Math.max(largest, degrees);
        }
        assertTrue(smallest >= -36.01 && smallest < -32, "smallest angle " + smallest);
        assertTrue(largest <= 36.01 && largest > 32, "largest angle " + largest);
    }

    // ---- zoom and reflection

    @Test
    void zoomingByOneChangesNothing() {
        NDArray images = manager.randomUniform(0f, 1f, new Shape(2, 3, 7, 9));
        assertClose(images.toFloatArray(), Augmentation.zoom(images, new float[] {1, 1}).toFloatArray(), TOLERANCE);
    }

    @Test
    void zoomingOutFillsTheBorderWithTheMirroredImageNotBlack() {
        // One row a b c d (0.1 .. 0.4), repeated down. Zoom 2 reads output column x at 2x - 1.5:
        // -1.5, 0.5, 2.5, 4.5. Mirrored (d c b a | a b c d | d c b a): 0.5, 0.5, 2.5, 2.5.
        float[] rows = new float[4 * 4];
        for (int p = 0; p < rows.length; p++) rows[p] = 0.1f * (p % 4 + 1);
        NDArray image = manager.create(rows, new Shape(1, 1, 4, 4));
        float[] out = Augmentation.zoom(image, new float[] {2}).toFloatArray();
        for (int row = 0; row < 4; row++) {
            assertClose(new float[] {0.15f, 0.15f, 0.35f, 0.35f}, Arrays.copyOfRange(out, row * 4, row * 4 + 4), TOLERANCE);
        }
    }

    @Test
    void rotationAndZoomMatchKerasPixelByPixel() {
        // A plain per-pixel version of what Keras asks TensorFlow for (ImageProjectiveTransformV3,
        // bilinear, fill_mode "reflect"), on a non-square batch, with angles and zooms large enough
        // to reach well outside the image.
        Random random = new Random(11);
        int count = 4;
        int channels = 2;
        int height = 7;
        int width = 10;
        float[] pixels = new float[count * channels * height * width];
        for (int p = 0; p < pixels.length; p++) pixels[p] = random.nextFloat();
        NDArray images = manager.create(pixels, new Shape(count, channels, height, width));

        float[] degrees = {33, -170, 12.5f, 90};
        float[][] rotations = new float[count][];
        for (int i = 0; i < count; i++) {
            double a = Math.toRadians(degrees[i]);
            float cos = (float) Math.cos(a);
            float sin = (float) Math.sin(a);
            rotations[i] = new float[] {cos, -sin, ((width - 1) - (cos * (width - 1) - sin * (height - 1))) / 2,
                sin, cos, ((height - 1) - (sin * (width - 1) + cos * (height - 1))) / 2};
        }
        assertClose(kerasTransform(pixels, count, channels, height, width, rotations),
                Augmentation.rotate(images, degrees).toFloatArray(), 1e-4f);

        float[] zooms = {0.5f, 0.9f, 1.1f, 2.7f};
        float[][] scalings = new float[count][];
        for (int i = 0; i < count; i++) {
            scalings[i] = new float[] {zooms[i], 0, (width - 1) / 2f * (1 - zooms[i]), 0, zooms[i], (height - 1) / 2f * (1 - zooms[i])};
        }
        assertClose(kerasTransform(pixels, count, channels, height, width, scalings),
                Augmentation.zoom(images, zooms).toFloatArray(), 1e-4f);
    }

    @Test
    void rotationAndZoomGiveTheSameBitsAsWorkingOutEachPixelOnItsOwn() {
        // The transforms work a row of positions at a time; a trained model's results depend on every
        // bit of its training images, so they must come out as the plain per-pixel formula gives them.
        Random random = new Random(5);
        int count = 16;
        for (int[] size : new int[][] {{3, 32, 32}, {1, 28, 28}, {2, 7, 10}}) {
            int channels = size[0], height = size[1], width = size[2];
            float[] pixels = new float[count * channels * height * width];
            for (int p = 0; p < pixels.length; p++) pixels[p] = random.nextFloat();
            NDArray images = manager.create(pixels, new Shape(count, channels, height, width));
            float[] degrees = new float[count], zooms = new float[count];
            for (int i = 0; i < count; i++) {
                degrees[i] = (float) (400 * random.nextDouble() - 200); // past a full mirror image, some of them
                zooms[i] = (float) (0.3 + 3 * random.nextDouble());
            }
            float[][] rotations = new float[count][], scalings = new float[count][];
            for (int i = 0; i < count; i++) {
                double angle = Math.toRadians(degrees[i]);
                float cos = (float) Math.cos(angle), sin = (float) Math.sin(angle);
                float lastColumn = width - 1, lastRow = height - 1;
                rotations[i] = new float[] {cos, -sin, (lastColumn - (cos * lastColumn - sin * lastRow)) / 2,
                    sin, cos, (lastRow - (sin * lastColumn + cos * lastRow)) / 2};
                scalings[i] = new float[] {zooms[i], 0, lastColumn / 2 * (1 - zooms[i]), 0, zooms[i], lastRow / 2 * (1 - zooms[i])};
            }
            String name = channels + "x" + height + "x" + width;
            assertArrayEquals(pixelByPixel(pixels, count, channels, height, width, rotations),
                    Augmentation.rotate(images, degrees).toFloatArray(), "rotation, " + name);
            assertArrayEquals(pixelByPixel(pixels, count, channels, height, width, scalings),
                    Augmentation.zoom(images, zooms).toFloatArray(), "zoom, " + name);
        }
    }

    /** Augmentation's resampling written plainly: each output pixel's position worked out, folded and read on its own. */
    private static float[] pixelByPixel(float[] in, int count, int channels, int height, int width, float[][] matrices) {
        float[] out = new float[in.length];
        int channelSize = height * width;
        for (int i = 0; i < count; i++) {
            float[] m = matrices[i];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    float sourceX = fold(m[0] * x + m[1] * y + m[2], width);
                    float sourceY = fold(m[3] * x + m[4] * y + m[5], height);
                    int left = (int) sourceX, top = (int) sourceY;
                    float toRight = sourceX - left, down = sourceY - top;
                    int right = Math.min(left + 1, width - 1), bottom = Math.min(top + 1, height - 1);
                    for (int c = 0; c < channels; c++) {
                        int plane = (i * channels + c) * channelSize;
                        float upper = (1 - toRight) * in[plane + top * width + left] + toRight * in[plane + top * width + right];
                        float lower = (1 - toRight) * in[plane + bottom * width + left] + toRight * in[plane + bottom * width + right];
                        out[plane + y * width + x] = (1 - down) * upper + down * lower;
                    }
                }
            }
        }
        return out;
    }

    /** Augmentation's reflection at one position: the mirrors at -0.5 and size - 0.5, kept between the first and last pixels' centres. */
    private static float fold(float position, int size) {
        float period = 2f * size;
        float fromMirror = (position + 0.5f) % period;
        if (fromMirror < 0) fromMirror += period;
        float folded = size - Math.abs(fromMirror - size) - 0.5f;
        return Math.max(0, Math.min(size - 1, folded));
    }

    /** TensorFlow's ImageProjectiveTransform, bilinear with fill_mode "reflect", one pixel at a time. */
    private static float[] kerasTransform(float[] in, int count, int channels, int height, int width, float[][] matrices) {
        float[] out = new float[in.length];
        for (int i = 0; i < count; i++) {
            float[] m = matrices[i];
            for (int c = 0; c < channels; c++) {
                int plane = (i * channels + c) * height * width;
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        float sourceX = tensorflowReflect(m[0] * x + m[1] * y + m[2], width);
                        float sourceY = tensorflowReflect(m[3] * x + m[4] * y + m[5], height);
                        int x0 = (int) Math.floor(sourceX);
                        int y0 = (int) Math.floor(sourceY);
                        float fx = sourceX - x0;
                        float fy = sourceY - y0;
                        float top = (1 - fx) * read(in, plane, height, width, y0, x0) + fx * read(in, plane, height, width, y0, x0 + 1);
                        float bottom = (1 - fx) * read(in, plane, height, width, y0 + 1, x0) + fx * read(in, plane, height, width, y0 + 1, x0 + 1);
                        out[plane + y * width + x] = (1 - fy) * top + fy * bottom;
                    }
                }
            }
        }
        return out;
    }

    /** TensorFlow's map_coordinate for FILL_REFLECT, written as it is there. */
    private static float tensorflowReflect(float coordinate, int length) {
        float in = coordinate;
        if (in < 0) {
            int twice = 2 * length;
            in = twice * (int) (-in / twice) + in;
            in = in < -length ? in + twice : -in - 1;
        } else if (in > length - 1) {
            int twice = 2 * length;
            in -= twice * (int) (in / twice);
            if (in >= length) in = twice - in - 1;
        }
        return Math.max(0, Math.min(length - 1, in));
    }

    private static float read(float[] in, int plane, int height, int width, int y, int x) {
        return y < 0 || y >= height || x < 0 || x >= width ? 0 : in[plane + y * width + x];
    }

    @Test
    void randomZoomFactorsSpreadOverPlusMinusTenPercent() {
        // On a brightness ramp the slope at the centre after zooming is the zoom factor times the slope before.
        int count = 300;
        int side = 9;
        float[] ramp = new float[count * side * side];
        for (int p = 0; p < ramp.length; p++) ramp[p] = (p % side) / (side - 1f);
        NDArray images = manager.create(ramp, new Shape(count, 1, side, side));
        float[] out = new Augmentation.RandomZoom(0.1, 5).transform(images).toFloatArray();
        double smallest = Double.MAX_VALUE;
        double largest = -Double.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            int centre = i * side * side + 4 * side + 4;
            double factor = (out[centre + 1] - out[centre - 1]) / 2 * (side - 1);
            smallest = Math.min(smallest, factor);
            largest = Math.max(largest, factor);
        }
        assertTrue(smallest >= 0.9 - 1e-4 && smallest < 0.91, "smallest zoom " + smallest);
        assertTrue(largest <= 1.1 + 1e-4 && largest > 1.09, "largest zoom " + largest);
    }

    // ---- the pipeline

    @Test
    void tutorialPipelineHasKerasOrder() {
        Transform[] pipeline = Augmentation.tutorial(1);
        assertEquals(4, pipeline.length);
        assertInstanceOf(Augmentation.RandomHorizontalFlip.class, pipeline[0]);
        assertInstanceOf(Augmentation.RandomContrast.class, pipeline[1]);
        assertInstanceOf(Augmentation.RandomRotation.class, pipeline[2]);
        assertInstanceOf(Augmentation.RandomZoom.class, pipeline[3]);
    }

    @Test
    void inOnePassGivesTheSameImagesAsOneTransformAfterAnother() {
        NDArray images = manager.randomUniform(0f, 1f, new Shape(6, 3, 10, 12));
        Transform halve = batch -> batch.mul(0.5f); // not one of Augmentation's: runs in MXNet, in its place
        Transform[] oneByOne = Augmentation.tutorial(11);
        Transform[] chained = Augmentation.tutorial(11);
        for (int batch = 0; batch < 2; batch++) { // the second batch gets new draws, the same in both
            NDArray expected = apply(new Transform[] {oneByOne[0], oneByOne[1], halve, oneByOne[2], oneByOne[3]}, images);
            NDArray actual = Augmentation.inOnePass(chained[0], chained[1], halve, chained[2], chained[3]).transform(images);
            assertEquals(images.getShape(), actual.getShape());
            assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), "batch " + batch);
        }
    }

    @Test
    void inOnePassScalesABatchOfBytesAsToTensorDoes() {
        Random random = new Random(3);
        byte[] bytes = new byte[6 * 10 * 12 * 3];
        random.nextBytes(bytes);
        NDArray images = manager.create(java.nio.ByteBuffer.wrap(bytes), new Shape(6, 10, 12, 3), ai.djl.ndarray.types.DataType.UINT8);
        Transform[] byTheEngine = Augmentation.tutorial(11);
        Transform[] inJava = Augmentation.tutorial(11);
        for (int batch = 0; batch < 2; batch++) {
            NDArray expected = Augmentation.inOnePass(byTheEngine).transform(new ToTensor().transform(images));
            NDArray actual = Augmentation.inOnePass(new ToTensor(), inJava[0], inJava[1], inJava[2], inJava[3]).transform(images);
            assertEquals(new Shape(6, 3, 10, 12), actual.getShape());
            assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), "batch " + batch);
        }
        assertArrayEquals(new ToTensor().transform(images).toFloatArray(),
                Augmentation.inOnePass(new ToTensor(), new Augmentation.RandomCrop(0, 1)).transform(images).toFloatArray(),
                "scaled and laid out as ToTensor does");
    }

    @Test
    void everyTransformKeepsShapeAndTheZeroToOneRange() {
        NDArray images = manager.randomUniform(0f, 1f, new Shape(5, 3, 8, 6));
        for (Transform transform : Augmentation.tutorial(3)) {
            NDArray out = transform.transform(images);
            assertEquals(images.getShape(), out.getShape(), transform.toString());
            assertTrue(out.min().getFloat() >= 0 && out.max().getFloat() <= 1, transform + " left [0, 1]");
            assertFalse(Arrays.equals(images.toFloatArray(), out.toFloatArray()), transform + " changed nothing");
        }
    }

    @Test
    void eachImageOfABatchGetsItsOwnDrawAndEachCallNewOnes() {
        NDArray copies = manager.randomUniform(0f, 1f, new Shape(1, 3, 8, 8)).repeat(0, 4);
        Transform[] pipeline = Augmentation.tutorial(9);
        float[] first = apply(pipeline, copies).toFloatArray();
        float[] second = apply(pipeline, copies).toFloatArray();
        int imageSize = 3 * 8 * 8;
        for (int i = 1; i < 4; i++) {
            assertFalse(Arrays.equals(Arrays.copyOfRange(first, 0, imageSize), Arrays.copyOfRange(first, i * imageSize, (i + 1) * imageSize)),
                    "copy " + i + " came out the same as copy 0");
        }
        assertFalse(Arrays.equals(first, second), "a second batch got the same augmentation");
    }

    @Test
    void theSameSeedRepeatsTheAugmentationAndAnotherSeedDoesNot() {
        NDArray images = manager.randomUniform(0f, 1f, new Shape(4, 3, 8, 8));
        float[] run = apply(Augmentation.tutorial(42), images).toFloatArray();
        float[] rerun = apply(Augmentation.tutorial(42), images).toFloatArray();
        float[] otherSeed = apply(Augmentation.tutorial(43), images).toFloatArray();
        assertArrayEquals(run, rerun);
        assertFalse(Arrays.equals(run, otherSeed));
    }

    @Test
    void settingsMustMatchTheBatch() {
        NDArray images = manager.zeros(new Shape(2, 1, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> Augmentation.zoom(images, new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new Augmentation.RandomZoom(0.1, 1).transform(manager.zeros(new Shape(1, 3, 3))));
        assertThrows(IllegalArgumentException.class, () -> new Augmentation.RandomRotation(-0.1, 1));
    }

    private static NDArray apply(Transform[] pipeline, NDArray images) {
        NDArray out = images;
        for (Transform transform : pipeline) out = transform.transform(out);
        return out;
    }

    private static float sum(float[] values) {
        float total = 0;
        for (float value : values) total += value;
        return total;
    }

    private static void assertClose(float[] expected, float[] actual, float tolerance) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, "element " + i);
        }
    }
}
