package lib.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Batches of images as PyTorch computes on them fastest on a CPU: channels-last, each pixel's
 * colours side by side in memory, the layout PyTorch's own ToTensor leaves a batch in. A batch made
 * in the usual (N, C, H, W) order trains as correctly but each convolution runs on the slower
 * layout, which made augmented steps much slower (appendix B, "Speed, side by side").
 */
public final class PytorchImages {
    private PytorchImages() {}

    /** The images whose pixels are laid out as {@code shape} (N, C, H, W) says, stored channels-last. */
    public static NDArray channelsLast(NDManager manager, float[] pixels, Shape shape) {
        int count = (int) shape.get(0), channels = (int) shape.get(1), height = (int) shape.get(2), width = (int) shape.get(3);
        int planeSize = height * width;
        float[] pixelByPixel = new float[pixels.length];
        for (int image = 0; image < count; image++) {
            int first = image * channels * planeSize;
            for (int channel = 0; channel < channels; channel++) {
                int plane = first + channel * planeSize;
                for (int p = 0, to = first + channel; p < planeSize; p++, to += channels) pixelByPixel[to] = pixels[plane + p];
            }
        }
        // (N, H, W, C) in memory, seen as (N, C, H, W). The copy keeps that layout in memory PyTorch owns,
        // so the batch needs neither the Java buffer nor the arrays it came from, which are freed now.
        try (NDArray pixelRows = manager.create(pixelByPixel, new Shape(count, height, width, channels));
                NDArray seenAsChannels = pixelRows.transpose(0, 3, 1, 2)) {
            return seenAsChannels.duplicate();
        }
    }
}
