package org.dgrab.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Sharding}: every example in exactly one shard, sizes within one, seeded and contiguous splits. */
class ShardingTest {

    @Test
    void shardingPartitionsTheExamples() {
        for (Sharding sh : Sharding.values()) {
            int[][] shards = sh.split(11, 3, 5);
            assertEquals(3, shards.length);
            assertEquals(4, shards[0].length);
            assertEquals(4, shards[1].length);
            assertEquals(3, shards[2].length);
            boolean[] seen = new boolean[11];
            for (int[] shard : shards) {
                for (int e : shard) {
                    assertFalse(seen[e]);
                    seen[e] = true;
                }
            }
            for (boolean b : seen) {
                assertTrue(b);
            }
            assertArrayEquals(shards[1], sh.split(11, 3, 5)[1], "deterministic");
        }
        assertArrayEquals(new int[] {4, 5, 6, 7}, Sharding.CONTIGUOUS.split(11, 3, 5)[1]);
        assertFalse(java.util.Arrays.equals(Sharding.SEEDED.split(11, 3, 5)[0], Sharding.SEEDED.split(11, 3, 6)[0]),
                "another seed, other shards");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sharding.CONTIGUOUS.split(2, 3, 0));
        assertTrue(e.getMessage().contains("2 examples over 3 workers"), e.getMessage());
    }

    @Test
    void refusesNoWorkers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sharding.SEEDED.split(5, 0, 1));
        assertTrue(e.getMessage().contains("must be >= 1, got 0"), e.getMessage());
    }

    @Test
    void seededShardsAreAPermutationCutInBlocks() {
        // One worker gets everything: the seeded permutation itself, which differs from the identity.
        int[] all = Sharding.SEEDED.split(20, 1, 9)[0];
        int[] sorted = all.clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(org.dgrab.dl4j.TestData.range(0, 20), sorted);
        assertFalse(java.util.Arrays.equals(sorted, all));
        int[][] two = Sharding.SEEDED.split(20, 2, 9);
        assertArrayEquals(java.util.Arrays.copyOfRange(all, 0, 10), two[0]);
        assertArrayEquals(java.util.Arrays.copyOfRange(all, 10, 20), two[1]);
        assertEquals(10, two[1].length);
    }
}
