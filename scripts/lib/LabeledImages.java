package lib;

import ai.djl.modality.cv.transform.ToTensor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.translate.Pipeline;
import ai.djl.translate.Transform;
import ai.djl.translate.TranslateException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Images and their labels as the files store them: one byte a pixel (0-255), each image height x
 * width x channels. Scaling to [0, 1] and the switch to the channels-first layout that MXNet's
 * convolutions want happen batch by batch, in DJL's {@link ToTensor}, which keeps memory at a
 * quarter of what float pixels would take.
 */
public record LabeledImages(byte[] pixels, byte[] labels, int height, int width, int channels, List<String> classNames) {

    public int size() {
        return labels.length;
    }

    /** The shape of one image as the model sees it: channels, height, width. */
    public Shape imageShape() {
        return new Shape(channels, height, width);
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive), in their original order. */
    public LabeledImages slice(int from, int to) {
        int imageBytes = height * width * channels;
        return new LabeledImages(Arrays.copyOfRange(pixels, from * imageBytes, to * imageBytes),
                Arrays.copyOfRange(labels, from, to), height, width, channels, classNames);
    }

    /** A copy in which a random half of the images (drawn from {@code seed}) are mirrored left-right. */
    public LabeledImages halfMirrored(long seed) {
        byte[] mirrored = pixels.clone();
        java.util.Random coin = new java.util.Random(seed);
        int rowBytes = width * channels;
        for (int image = 0; image < size(); image++) {
            if (!coin.nextBoolean()) continue;
            for (int row = image * height * rowBytes; row < (image + 1) * height * rowBytes; row += rowBytes) {
                for (int left = 0, right = width - 1; left < right; left++, right--) {
                    for (int channel = 0; channel < channels; channel++) {
                        byte swap = mirrored[row + left * channels + channel];
                        mirrored[row + left * channels + channel] = mirrored[row + right * channels + channel];
                        mirrored[row + right * channels + channel] = swap;
                    }
                }
            }
        }
        return new LabeledImages(mirrored, labels, height, width, channels, classNames);
    }

    public LabeledImages first(int count) {
        return count >= size() ? this : slice(0, count);
    }

    public int label(int index) {
        return labels[index];
    }

    public int[] classCounts() {
        int[] counts = new int[classNames.size()];
        for (byte label : labels) counts[label]++;
        return counts;
    }

    /**
     * A DJL dataset for training: batches of (N, C, H, W) floats in [0, 1] and their labels, the
     * images in a new random order each epoch, {@code augmentation} run on each batch after
     * scaling (both in one pass, {@link Augmentation#scaledInOnePass}). Its draws come from
     * {@code seed} and the epoch's number ({@link EpochDataset#startEpoch}).
     */
    public EpochDataset shuffled(NDManager manager, int batchSize, long seed, Transform... augmentation) {
        EpochDataset.Shuffle shuffle = new EpochDataset.Shuffle(seed);
        // The engine's own generator (Dropout's masks) is reseeded at each epoch too.
        EpochDataset.EpochSeeded engine = epoch -> ai.djl.engine.Engine.getInstance().setRandomSeed((int) EpochDataset.seedFor(seed, epoch, 2));
        List<EpochDataset.EpochSeeded> draws = new ArrayList<>(List.of(shuffle, engine));
        Transform scaleAndAugment = new ToTensor();
        if (augmentation.length > 0) {
            scaleAndAugment = Augmentation.scaledInOnePass(augmentation);
            draws.add((EpochDataset.EpochSeeded) scaleAndAugment);
        }
        return new EpochDataset(builder(manager, new Pipeline(scaleAndAugment))
                .setSampling(new BatchSampler(shuffle, batchSize, false)), draws); // keeps the last, smaller batch, as Keras does
    }

    /** A DJL dataset that serves the images in their order, for validation, evaluation and figures. */
    public ArrayDataset inOrder(NDManager manager, int batchSize) {
        return builder(manager, new Pipeline(new ToTensor())).setSampling(batchSize, false).build();
    }

    private ArrayDataset.Builder builder(NDManager manager, Pipeline pipeline) {
        NDArray labelArray = manager.create(ByteBuffer.wrap(labels), new Shape(size()), DataType.UINT8).toType(DataType.FLOAT32, false);
        return new ArrayDataset.Builder().setData(bytes(manager)).optLabels(labelArray).optPipeline(pipeline);
    }

    /** All the images as the model sees them: (N, C, H, W), pixels in [0, 1]. */
    public NDArray toTensor(NDManager manager) {
        return new ToTensor().transform(bytes(manager));
    }

    /** The reverse of {@link #toTensor}, back to bytes, e.g. to draw images a transform produced. */
    public static LabeledImages fromTensor(NDArray images, byte[] labels, List<String> classNames) {
        Shape shape = images.getShape();
        byte[] pixels = images.transpose(0, 2, 3, 1).mul(255).round().clip(0, 255).toType(DataType.UINT8, false).toByteArray();
        return new LabeledImages(pixels, labels, (int) shape.get(2), (int) shape.get(3), (int) shape.get(1), classNames);
    }

    private NDArray bytes(NDManager manager) {
        return storedImages(manager, size());
    }

    /** The first {@code count} images as they are stored: bytes, (N, H, W, C), before any scaling. */
    public NDArray storedImages(NDManager manager, int count) {
        int imageSize = height * width * channels;
        count = Math.min(count, size());
        return manager.create(ByteBuffer.wrap(pixels, 0, count * imageSize), new Shape(count, height, width, channels), DataType.UINT8);
    }

    /** The first batch {@link #toDataset} serves, unshuffled: images and labels, as training sees them. */
    public NDList firstBatch(NDManager manager, int batchSize) {
        try {
            Batch batch = inOrder(manager, batchSize).getData(manager).iterator().next();
            return new NDList(batch.getData().head(), batch.getLabels().head());
        } catch (IOException | TranslateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One image as a picture, for the sample grids. */
    public BufferedImage toImage(int index) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int offset = index * height * width * channels;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = offset + (y * width + x) * channels;
                int r = pixels[p] & 0xFF;
                int g = channels == 3 ? pixels[p + 1] & 0xFF : r;
                int b = channels == 3 ? pixels[p + 2] & 0xFF : r;
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }
}
