package org.dgrab.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.dgrab.core.internal.balance.ArrayVectorBuffer;
import org.dgrab.core.internal.balance.NdVectorBuffer;
import org.dgrab.core.balance.SignRule;
import org.dgrab.core.internal.balance.Balancer;
import org.dgrab.core.internal.random.SplitMix64;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class CoordinatorTest {

    // Tiny case: 3 workers with 4, 2 and 3 units, so 2, 1 and 2 pair-steps (worker 2's last is a lone unit).
    private static final int[] UNITS = {4, 2, 3};
    private static final double[][][] D = {
        {{1, 0}, {2, 1}},
        {{1, 1}},
        {{0, -2}, {1, 3}},
    };
    // Canonical order (pair-step, then worker): (0,w0) (0,w1) (0,w2) (1,w0) (1,w2), r starts at 0, s = +1 iff <r,d> <= 0:
    // (1,0): <0,d>=0 -> +1, r=(1,0); (1,1): 1 -> -1, r=(0,-1); (0,-2): 2 -> -1, r=(0,1);
    // (2,1): 1 -> -1, r=(-2,0); (1,3): -2 -> +1, r=(-1,3).
    private static final int[][] EXPECTED = {{1, -1}, {-1}, {-1, 1}};

    /** One report of a schedule: worker w sends its pair-step k. */
    private static int[] rk(int w, int k) {
        return new int[] {w, k};
    }

    private static ArrayVectorBuffer vec(double... v) {
        ArrayVectorBuffer b = new ArrayVectorBuffer(v.length);
        b.setFrom(v);
        return b;
    }

    private static Coordinator tiny() {
        return new Coordinator(UNITS, SignRule.deterministic(), 7);
    }

    private static int[] signs(Coordinator c, int w, int e) {
        SignReply r = new SignReply();
        c.takeSigns(w, e, r);
        assertEquals(e, r.epoch());
        assertEquals(w, r.worker());
        int[] s = new int[r.count()];
        for (int k = 0; k < s.length; k++) {
            s[k] = r.sign(k);
        }
        return s;
    }

    private static byte[] state(Coordinator c) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            c.write(out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return b.toByteArray();
    }

    /**
     * Sends the tiny case's epoch-0 reports in the given order through one reused payload buffer, which is
     * scribbled over after every call (a sender reuses its buffer, so the coordinator must copy early reports).
     */
    private static void send(Coordinator c, List<int[]> schedule) {
        ArrayVectorBuffer reused = new ArrayVectorBuffer(2);
        PairReport r = new PairReport();
        for (int[] x : schedule) {
            reused.setFrom(D[x[0]][x[1]]);
            c.accept(r.set(0, x[1], x[0], reused));
            reused.setFrom(new double[] {999, -999});
        }
    }

    private static List<int[]> canonical() {
        return List.of(rk(0, 0), rk(1, 0), rk(2, 0), rk(0, 1), rk(2, 1));
    }

    @Test
    void tinyCaseMatchesHandComputedSignsInEveryInterleaving() {
        List<List<int[]>> schedules = new ArrayList<>();
        schedules.add(canonical());
        // Worker by worker, ascending and descending: worker 2 runs through its whole epoch before anyone else.
        schedules.add(List.of(rk(0, 0), rk(0, 1), rk(1, 0), rk(2, 0), rk(2, 1)));
        schedules.add(List.of(rk(2, 0), rk(2, 1), rk(1, 0), rk(0, 0), rk(0, 1)));
        // Round-robin with worker ids reversed.
        schedules.add(List.of(rk(2, 0), rk(1, 0), rk(0, 0), rk(2, 1), rk(0, 1)));
        schedules.add(List.of(rk(1, 0), rk(2, 0), rk(2, 1), rk(0, 0), rk(0, 1)));
        for (List<int[]> s : schedules) {
            Coordinator c = tiny();
            send(c, s);
            assertEquals(1, c.epoch(), "the epoch is complete after its last report");
            assertEquals(0, c.pendingCount());
            assertEquals(5, c.balancedCount());
            for (int w = 0; w < 3; w++) {
                assertTrue(c.signsReady(w, 0));
                assertArrayEquals(EXPECTED[w], signs(c, w, 0), "worker " + w + " signs");
            }
        }
    }

    @Test
    void arrivalOrderWouldGiveOtherSigns() {
        // Guards the test above: balancing in arrival order (worker 2 first) gives different signs, so the
        // interleavings really discriminate canonical ordering from first-come-first-served.
        Balancer naive = new Balancer(SignRule.deterministic(), 7);
        int[][] got = {new int[2], new int[1], new int[2]};
        for (int[] x : List.of(rk(2, 0), rk(2, 1), rk(1, 0), rk(0, 0), rk(0, 1))) {
            got[x[0]][x[1]] = naive.balance(vec(D[x[0]][x[1]]));
        }
        assertFalse(java.util.Arrays.deepEquals(EXPECTED, got));
    }

    @Test
    void earlyReportsWaitAsPendingAndDrainInCanonicalOrder() {
        Coordinator c = tiny();
        PairReport r = new PairReport();
        c.accept(r.set(0, 0, 2, vec(D[2][0])));
        assertEquals(1, c.pendingCount());
        c.accept(r.set(0, 1, 2, vec(D[2][1])));
        assertEquals(2, c.pendingCount());
        c.accept(r.set(0, 0, 1, vec(D[1][0])));
        assertEquals(3, c.pendingCount());
        assertEquals(0, c.balancedCount());
        assertFalse(c.signsReady(0, 0));
        // Worker 0's first report unblocks pair-step 0 of workers 0, 1, 2; worker 2's pair-step 1 waits for (1, w0).
        c.accept(r.set(0, 0, 0, vec(D[0][0])));
        assertEquals(1, c.pendingCount());
        assertEquals(3, c.balancedCount());
        assertEquals(0, c.epoch());
        assertTrue(c.describeMissing().contains("pair-step 1 of worker 0"), c.describeMissing());
        c.accept(r.set(0, 1, 0, vec(D[0][1])));
        assertEquals(0, c.pendingCount());
        assertEquals(5, c.balancedCount());
        assertEquals(1, c.epoch());
        for (int w = 0; w < 3; w++) {
            assertArrayEquals(EXPECTED[w], signs(c, w, 0));
        }
    }

    @Test
    void pairStepsAreCeilOfHalfTheUnits() {
        Coordinator c = new Coordinator(new int[] {1, 2, 3, 4, 7}, SignRule.deterministic(), 1);
        assertEquals(5, c.workers());
        int[] expected = {1, 1, 2, 2, 4};
        for (int w = 0; w < 5; w++) {
            assertEquals(expected[w], c.pairSteps(w));
        }
        assertThrows(IllegalArgumentException.class, () -> c.pairSteps(5));
        assertThrows(IllegalArgumentException.class, () -> new Coordinator(new int[0], SignRule.deterministic(), 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Coordinator(new int[] {3, 0}, SignRule.deterministic(), 1));
        assertTrue(e.getMessage().contains("worker 1"), e.getMessage());
    }

    /** Reference: plain double arithmetic in canonical order, deterministic rule. */
    private static int[][] reference(double[][][] d, int[] pairSteps, int dim) {
        double[] r = new double[dim];
        int[][] s = new int[pairSteps.length][];
        int max = 0;
        for (int w = 0; w < pairSteps.length; w++) {
            s[w] = new int[pairSteps[w]];
            max = Math.max(max, pairSteps[w]);
        }
        for (int k = 0; k < max; k++) {
            for (int w = 0; w < pairSteps.length; w++) {
                if (k >= pairSteps[w]) {
                    continue;
                }
                double dot = 0;
                for (int j = 0; j < dim; j++) {
                    dot += r[j] * d[w][k][j];
                }
                int sign = dot <= 0 ? 1 : -1;
                for (int j = 0; j < dim; j++) {
                    r[j] += sign * d[w][k][j];
                }
                s[w][k] = sign;
            }
        }
        return s;
    }

    /** A random merge of the workers' report sequences, each worker's own in increasing pair-step order. */
    private static List<int[]> randomMerge(int[] pairSteps, SplitMix64 rng) {
        int[] next = new int[pairSteps.length];
        int left = 0;
        for (int p : pairSteps) {
            left += p;
        }
        List<int[]> out = new ArrayList<>();
        while (left > 0) {
            int w = rng.nextInt(pairSteps.length);
            if (next[w] < pairSteps[w]) {
                out.add(rk(w, next[w]++));
                left--;
            }
        }
        return out;
    }

    @Test
    void randomInterleavingsOverSeveralEpochsMatchCanonicalReference() {
        int[] units = {7, 1, 4, 10, 5};
        int dim = 3;
        int epochs = 3;
        int n = units.length;
        int[] ps = new int[n];
        for (int w = 0; w < n; w++) {
            ps[w] = (units[w] + 1) / 2;
        }
        SplitMix64 data = new SplitMix64(42);
        double[][][][] d = new double[epochs][n][][];
        int[][][] expected = new int[epochs][][];
        for (int e = 0; e < epochs; e++) {
            for (int w = 0; w < n; w++) {
                d[e][w] = new double[ps[w]][dim];
                for (int k = 0; k < ps[w]; k++) {
                    for (int j = 0; j < dim; j++) {
                        d[e][w][k][j] = data.nextInt(17) - 8;
                    }
                }
            }
            expected[e] = reference(d[e], ps, dim);
        }
        for (int trial = 0; trial < 12; trial++) {
            SplitMix64 rng = new SplitMix64(1000 + trial);
            Coordinator c = new Coordinator(units, SignRule.deterministic(), 3);
            int[][][] got = new int[epochs][n][];
            PairReport r = new PairReport();
            ArrayVectorBuffer[] buf = new ArrayVectorBuffer[n];
            for (int w = 0; w < n; w++) {
                buf[w] = new ArrayVectorBuffer(dim);
            }
            for (int e = 0; e < epochs; e++) {
                List<int[]> schedule;
                if (trial == 0) {
                    schedule = new ArrayList<>();
                    // One worker (the largest shard) runs through its whole epoch before anyone else reports.
                    for (int k = 0; k < ps[3]; k++) {
                        schedule.add(rk(3, k));
                    }
                    for (int w = n - 1; w >= 0; w--) {
                        for (int k = 0; w != 3 && k < ps[w]; k++) {
                            schedule.add(rk(w, k));
                        }
                    }
                } else {
                    schedule = randomMerge(ps, rng);
                }
                boolean[] started = new boolean[n];
                for (int[] x : schedule) {
                    int w = x[0];
                    if (e > 0 && !started[w]) {
                        // Signs of the previous epoch are collected lazily, while others already report this epoch.
                        got[e - 1][w] = signs(c, w, e - 1);
                        started[w] = true;
                    }
                    buf[w].setFrom(d[e][w][x[1]]);
                    c.accept(r.set(e, x[1], w, buf[w]));
                }
                assertEquals(e + 1, c.epoch());
                assertEquals(0, c.pendingCount());
            }
            for (int w = 0; w < n; w++) {
                got[epochs - 1][w] = signs(c, w, epochs - 1);
            }
            long total = 0;
            for (int p : ps) {
                total += p;
            }
            assertEquals(total * epochs, c.balancedCount());
            for (int e = 0; e < epochs; e++) {
                for (int w = 0; w < n; w++) {
                    assertArrayEquals(expected[e][w], got[e][w], "trial " + trial + " epoch " + e + " worker " + w);
                }
            }
        }
    }

    @Test
    void skippedReportGetsPlusOneAndLeavesRunningSumUnchanged() {
        // (0,w0) skipped: sign +1, r stays 0; (1,1): 0 -> +1, r=(1,1); (0,-2): -2 -> +1, r=(1,-1);
        // (2,1): 1 -> -1, r=(-1,-2); (1,3): -7 -> +1.
        int[][] expected = {{1, -1}, {1}, {1, 1}};
        for (boolean early : new boolean[] {false, true}) {
            Coordinator c = tiny();
            Coordinator zero = tiny();
            PairReport r = new PairReport();
            List<int[]> schedule = early
                    ? List.of(rk(2, 0), rk(1, 0), rk(2, 1), rk(0, 0), rk(0, 1))
                    : canonical();
            for (int[] x : schedule) {
                boolean skip = x[0] == 0 && x[1] == 0;
                c.accept(r.set(0, x[1], x[0], skip ? null : vec(D[x[0]][x[1]])));
                // A zero vector is what "leaves the running sum unchanged" amounts to.
                zero.accept(r.set(0, x[1], x[0], skip ? vec(0, 0) : vec(D[x[0]][x[1]])));
            }
            assertEquals(1, c.skippedCount());
            assertEquals(0, zero.skippedCount());
            assertEquals(5, c.balancedCount());
            for (int w = 0; w < 3; w++) {
                assertArrayEquals(expected[w], signs(c, w, 0), "early=" + early + " worker " + w);
                assertArrayEquals(expected[w], signs(zero, w, 0));
            }
        }
    }

    @Test
    void skippedPendingReportOfWorkerThatLaterSendsVectors() {
        // Worker 2 skips its first pair while it is early (pending), then sends a real vector.
        Coordinator c = tiny();
        PairReport r = new PairReport();
        c.accept(r.set(0, 0, 2, null));
        c.accept(r.set(0, 1, 2, vec(D[2][1])));
        assertEquals(2, c.pendingCount());
        c.accept(r.set(0, 0, 0, vec(D[0][0])));
        c.accept(r.set(0, 0, 1, vec(D[1][0])));
        c.accept(r.set(0, 1, 0, vec(D[0][1])));
        // r=(1,0) -> (1,1): 1 -> -1, r=(0,-1) -> skipped: +1, r unchanged -> (2,1): -1 -> +1, r=(2,0) -> (1,3): 2 -> -1.
        assertArrayEquals(new int[] {1, 1}, signs(c, 0, 0));
        assertArrayEquals(new int[] {-1}, signs(c, 1, 0));
        assertArrayEquals(new int[] {1, -1}, signs(c, 2, 0));
        assertEquals(1, c.skippedCount());
    }

    @Test
    void nonFinitePayloadIsTreatedAsSkipped() {
        Coordinator c = tiny();
        PairReport r = new PairReport();
        c.accept(r.set(0, 0, 0, vec(D[0][0])));
        c.accept(r.set(0, 0, 1, vec(Double.NaN, 1)));
        c.accept(r.set(0, 0, 2, vec(D[2][0])));
        c.accept(r.set(0, 1, 0, vec(D[0][1])));
        c.accept(r.set(0, 1, 2, vec(D[2][1])));
        // r=(1,0); NaN skipped (+1); (0,-2): 0 -> +1, r=(1,-2); (2,1): 0 -> +1, r=(3,-1); (1,3): 0 -> +1.
        assertEquals(1, c.skippedCount());
        assertArrayEquals(new int[] {1, 1}, signs(c, 0, 0));
        assertArrayEquals(new int[] {1}, signs(c, 1, 0));
        assertArrayEquals(new int[] {1, 1}, signs(c, 2, 0));
    }

    private static void assertMessage(RuntimeException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    /** Asserts that accepting the report throws and leaves the coordinator's state byte for byte unchanged. */
    private static <T extends RuntimeException> T rejected(Coordinator c, Class<T> type, PairReport bad) {
        byte[] before = state(c);
        int pending = c.pendingCount();
        long balanced = c.balancedCount();
        T e = assertThrows(type, () -> c.accept(bad));
        assertArrayEquals(before, state(c), "a rejected report changed the coordinator");
        assertEquals(pending, c.pendingCount());
        assertEquals(balanced, c.balancedCount());
        return e;
    }

    @Test
    void rejectsBadReportsWithPreciseMessagesAndNoStateChange() {
        Coordinator c = tiny();
        PairReport r = new PairReport();

        assertMessage(rejected(c, IllegalArgumentException.class, r.set(0, 0, 3, vec(1, 1))),
                "worker", "3", "epoch 0", "pair-step 0");
        assertMessage(rejected(c, IllegalArgumentException.class, r.set(0, 1, -1, vec(1, 1))),
                "worker", "-1", "epoch 0", "pair-step 1");
        assertMessage(rejected(c, IllegalArgumentException.class, r.set(1, 0, 0, vec(1, 1))),
                "worker 0", "epoch 1", "pair-step 0", "still collecting epoch 0");
        assertMessage(rejected(c, IllegalArgumentException.class, r.set(0, 1, 1, vec(1, 1))),
                "worker 1", "epoch 0", "pair-step 1", "[0, 1)");
        assertMessage(rejected(c, IllegalArgumentException.class, r.set(0, -1, 0, vec(1, 1))),
                "worker 0", "epoch 0", "pair-step -1");
        assertMessage(rejected(c, IllegalArgumentException.class, r.set(0, 1, 0, vec(D[0][1]))),
                "worker 0", "epoch 0", "pair-step 1", "out of order");

        // An early report (pending), then it again: "twice" is caught for pending reports too.
        c.accept(r.set(0, 0, 2, vec(D[2][0])));
        assertMessage(rejected(c, IllegalArgumentException.class, r.set(0, 0, 2, vec(D[2][0]))),
                "worker 2", "epoch 0", "pair-step 0", "twice");
        c.accept(r.set(0, 0, 0, vec(D[0][0])));
        assertMessage(rejected(c, IllegalArgumentException.class, r.set(0, 0, 0, vec(D[0][0]))),
                "worker 0", "epoch 0", "pair-step 0", "twice");

        // Shape: dimension, data type and implementation must match the first payload.
        assertMessage(rejected(c, IllegalArgumentException.class, r.set(0, 0, 1, vec(1, 1, 1))),
                "worker 1", "epoch 0", "pair-step 0", "3 DOUBLE");
        NdVectorBuffer floats = new NdVectorBuffer(DataType.FLOAT, 2);
        assertMessage(rejected(c, IllegalArgumentException.class, r.set(0, 0, 1, floats)),
                "worker 1", "epoch 0", "pair-step 0", "FLOAT");
        NdVectorBuffer ndDoubles = new NdVectorBuffer(DataType.DOUBLE, 2);
        assertMessage(rejected(c, IllegalArgumentException.class, r.set(0, 0, 1, ndDoubles)),
                "worker 1", "ND4J");

        // Signs are not ready while the epoch is open.
        byte[] before = state(c);
        IllegalStateException notReady = assertThrows(IllegalStateException.class,
                () -> c.takeSigns(1, 0, new SignReply()));
        assertMessage(notReady, "worker 1", "epoch 0", "not ready", "pair-step 0 of worker 1");
        assertThrows(IllegalStateException.class, () -> c.takeSigns(0, 1, new SignReply()));
        assertThrows(IllegalStateException.class, () -> c.takeSigns(0, -1, new SignReply()),
                "there is no epoch -1 to take signs of");
        assertFalse(c.signsReady(0, -1));
        assertThrows(IllegalArgumentException.class, () -> c.takeSigns(3, 0, new SignReply()));
        assertArrayEquals(before, state(c));

        // The correct reports still work after all the rejections, and give the same signs as a clean run.
        c.accept(r.set(0, 0, 1, vec(D[1][0])));
        c.accept(r.set(0, 1, 2, vec(D[2][1])));
        c.accept(r.set(0, 1, 0, vec(D[0][1])));
        assertEquals(1, c.epoch());
        Coordinator clean = tiny();
        send(clean, canonical());
        assertArrayEquals(state(clean), state(c), "state after rejected reports differs from a clean run");
        for (int w = 0; w < 3; w++) {
            assertArrayEquals(EXPECTED[w], signs(c, w, 0));
        }
    }

    @Test
    void epochBoundaryErrors() {
        Coordinator c = tiny();
        send(c, canonical());
        PairReport r = new PairReport();
        // Past epoch.
        assertMessage(rejected(c, IllegalArgumentException.class, r.set(0, 0, 1, vec(1, 1))),
                "worker 1", "epoch 0", "pair-step 0", "already complete");
        // Next epoch before collecting the signs of this one.
        IllegalStateException early = rejected(c, IllegalStateException.class, r.set(1, 0, 0, vec(1, 1)));
        assertMessage(early, "worker 0", "epoch 1", "pair-step 0", "signs of epoch 0");
        assertArrayEquals(EXPECTED[0], signs(c, 0, 0));
        c.accept(r.set(1, 0, 0, vec(1, 1)));
        // Worker 0 has collected; worker 1 has not and still cannot report.
        assertMessage(rejected(c, IllegalStateException.class, r.set(1, 0, 1, vec(1, 1))), "worker 1", "epoch 1");
        // Worker 1's signs of epoch 0 are still there although epoch 1 has begun.
        assertArrayEquals(EXPECTED[1], signs(c, 1, 0));
        assertArrayEquals(EXPECTED[2], signs(c, 2, 0));
        // Taking the same signs twice is harmless.
        assertArrayEquals(EXPECTED[2], signs(c, 2, 0));
        c.accept(r.set(1, 0, 1, vec(D[1][0])));
        c.accept(r.set(1, 0, 2, vec(D[2][0])));
        c.accept(r.set(1, 1, 0, vec(D[0][1])));
        c.accept(r.set(1, 1, 2, vec(D[2][1])));
        assertEquals(2, c.epoch());
        IllegalStateException gone = assertThrows(IllegalStateException.class, () -> c.takeSigns(0, 0, new SignReply()));
        assertMessage(gone, "worker 0", "epoch 0", "gone");
        // Epoch 1 had the same vectors except (0,w0) = (1,1): (1,1)->+1 r=(1,1); (1,1): 2 -> -1, r=(0,0);
        // (0,-2): 0 -> +1, r=(0,-2); (2,1): -2 -> +1, r=(2,-1); (1,3): -1 -> +1.
        assertArrayEquals(new int[] {1, 1}, signs(c, 0, 1));
        assertArrayEquals(new int[] {-1}, signs(c, 1, 1));
        assertArrayEquals(new int[] {1, 1}, signs(c, 2, 1));
    }

    @Test
    void writeAndReadKeepPendingReports() throws IOException {
        Coordinator a = new Coordinator(UNITS, SignRule.probabilistic(2.0), 11);
        Coordinator b = new Coordinator(UNITS, SignRule.probabilistic(2.0), 11);
        PairReport r = new PairReport();
        List<int[]> schedule = List.of(rk(2, 0), rk(2, 1), rk(0, 0), rk(1, 0), rk(0, 1));
        for (int i = 0; i < 3; i++) {
            int[] x = schedule.get(i);
            a.accept(r.set(0, x[1], x[0], x[0] == 2 && x[1] == 0 ? null : vec(D[x[0]][x[1]])));
        }
        assertEquals(2, a.pendingCount());
        byte[] saved = state(a);
        Coordinator restored = new Coordinator(UNITS, SignRule.probabilistic(2.0), 999);
        restored.read(new DataInputStream(new ByteArrayInputStream(saved)));
        assertArrayEquals(saved, state(restored));
        assertEquals(2, restored.pendingCount());
        for (Coordinator c : new Coordinator[] {a, restored}) {
            for (int i = 3; i < schedule.size(); i++) {
                int[] x = schedule.get(i);
                c.accept(r.set(0, x[1], x[0], vec(D[x[0]][x[1]])));
            }
        }
        for (int i = 0; i < schedule.size(); i++) {
            int[] x = schedule.get(i);
            b.accept(r.set(0, x[1], x[0], x[0] == 2 && x[1] == 0 ? null : vec(D[x[0]][x[1]])));
        }
        for (int w = 0; w < 3; w++) {
            int[] expected = signs(b, w, 0);
            assertArrayEquals(expected, signs(a, w, 0));
            assertArrayEquals(expected, signs(restored, w, 0));
        }
        assertArrayEquals(state(b), state(restored));

        Coordinator other = new Coordinator(new int[] {4, 2, 4}, SignRule.deterministic(), 11);
        IOException e = assertThrows(IOException.class,
                () -> other.read(new DataInputStream(new ByteArrayInputStream(saved))));
        assertTrue(e.getMessage().contains("[4, 2, 3]"), e.getMessage());
    }
}
