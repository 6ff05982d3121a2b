import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import lib.EpochDataset;
import org.junit.jupiter.api.Test;

class EpochDatasetTest {
    @Test
    void theShuffleMakesEveryOrderEquallyOften() {
        // Three images have six orders. A uniform shuffle makes each about a sixth of the time;
        // swapping each position only with an earlier one (DJL's RandomSampler) makes just the two cycles.
        Map<String, Integer> counts = new HashMap<>();
        int draws = 60_000;
        for (int seed = 0; seed < draws; seed++) {
            counts.merge(Arrays.toString(EpochDataset.Shuffle.order(3, seed)), 1, Integer::sum);
        }
        assertEquals(6, counts.size(), counts.toString());
        for (int count : counts.values()) assertTrue(Math.abs(count - draws / 6) < 600, counts.toString());
    }

    @Test
    void anEpochsOrderDependsOnTheSeedAndTheEpochOnly() {
        long seed = 42;
        long[] epoch3 = EpochDataset.Shuffle.order(1000, EpochDataset.seedFor(seed, 3, 0));
        assertArrayEquals(epoch3, EpochDataset.Shuffle.order(1000, EpochDataset.seedFor(seed, 3, 0)));
        assertFalse(Arrays.equals(epoch3, EpochDataset.Shuffle.order(1000, EpochDataset.seedFor(seed, 4, 0))));
        assertFalse(Arrays.equals(epoch3, EpochDataset.Shuffle.order(1000, EpochDataset.seedFor(seed + 1, 3, 0))));
        long[] sorted = epoch3.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) assertEquals(i, sorted[i]);
    }
}
