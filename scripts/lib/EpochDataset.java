package lib;

import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * A DJL {@link ArrayDataset} whose random draws (the order of the images, the augmentation's
 * settings) are made afresh at the start of each epoch from the run's seed and the epoch's number.
 * Epoch 7 then sees the same batches whether the run got there in one go or was stopped after
 * epoch 6 and resumed in a new process: that is what makes {@code --resume} give the same weights.
 */
public final class EpochDataset extends ArrayDataset {
    private final List<EpochSeeded> draws;

    EpochDataset(ArrayDataset.Builder builder, List<EpochSeeded> draws) {
        super(builder);
        this.draws = draws;
    }

    /** Sets every random draw of this dataset to epoch {@code epoch} (counted from 1). */
    public void startEpoch(int epoch) {
        for (EpochSeeded draw : draws) draw.startEpoch(epoch);
    }

    /** Something that draws at random during an epoch, reseeded at the start of each. */
    public interface EpochSeeded {
        void startEpoch(int epoch);
    }

    /**
     * A seed for one use ({@code stream}) in one epoch of a run: SplitMix64's mixing of the three
     * numbers, so that neighbouring seeds or epochs give unrelated generators.
     */
    public static long seedFor(long runSeed, int epoch, int stream) {
        long z = runSeed * 0x9E3779B97F4A7C15L + epoch * 0xD1B54A32D192ED03L + stream * 0xAEF17502108EF2D9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Visits the images in a new random order each epoch: a Fisher-Yates shuffle, in which every
     * order is equally likely. (DJL's own {@code RandomSampler} swaps each position with an earlier
     * one only, which makes just the orders that form a single cycle.)
     */
    public static final class Shuffle implements Sampler.SubSampler, EpochSeeded {
        private final long runSeed;
        private int epoch = 1;

        public Shuffle(long runSeed) {
            this.runSeed = runSeed;
        }

        @Override
        public void startEpoch(int epoch) {
            this.epoch = epoch;
        }

        @Override
        public Iterator<Long> sample(RandomAccessDataset dataset) {
            return Arrays.stream(order((int) dataset.size(), seedFor(runSeed, epoch, 0))).iterator();
        }

        /** The numbers 0 to {@code size - 1} in the order the generator seeded with {@code seed} picks. */
        public static long[] order(int size, long seed) {
            long[] order = new long[size];
            for (int i = 0; i < size; i++) order[i] = i;
            Random random = new Random(seed);
            for (int i = size - 1; i > 0; i--) {
                int j = random.nextInt(i + 1); // any position up to and including i
                long swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            return order;
        }
    }
}
