package org.dgrab.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.dgrab.core.NonFiniteGradientException;
import org.dgrab.core.NonFinitePolicy;
import org.dgrab.core.OrderingConfig;
import org.dgrab.core.OrderingStats;
import org.dgrab.core.OrderingStrategy;
import org.dgrab.core.internal.balance.ArrayVectorBuffer;
import org.dgrab.core.balance.SignRule;
import org.dgrab.core.internal.balance.VectorRef;
import org.dgrab.core.fixtures.SyntheticGradients;
import org.dgrab.core.fixtures.SyntheticGradients.Input;
import org.dgrab.core.internal.random.Permutations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InProcessTransportTest {
    private static final Duration LONG = Duration.ofSeconds(20);
    /** What CD-GraB's FAIL policy gives a worker: the public exception naming the unit. */
    static final NonFiniteAction FAIL = (worker, epoch, step, unit, where) -> {
        throw new NonFiniteGradientException(worker, epoch, step, unit, where);
    };

    private static ArrayVectorBuffer vec(double... v) {
        ArrayVectorBuffer b = new ArrayVectorBuffer(v.length);
        b.setFrom(v);
        return b;
    }

    private static long expectedReplyBytes(int[] units) {
        long b = 0;
        for (int m : units) {
            int p = (m + 1) / 2;
            b += SignReply.HEADER_BYTES + (p + 7) / 8;
        }
        return b;
    }

    private static long pairSteps(int[] units) {
        long r = 0;
        for (int m : units) {
            r += (m + 1) / 2;
        }
        return r;
    }

    @Test
    void workersCountMessagesAndBytes() {
        int[] units = {5, 20, 1, 17};
        int dim = 3;
        int epochs = 3;
        Coordinator c = new Coordinator(units, SignRule.deterministic(), 1);
        InProcessTransport t = new InProcessTransport(c);
        assertTrue(t.coordinator() == c);
        OrderingWorker[] workers = new OrderingWorker[units.length];
        for (int w = 0; w < units.length; w++) {
            workers[w] = new OrderingWorker(w, Permutations.random(5, 0, w, units[w]), t, FAIL, LONG);
        }
        SyntheticGradients g = new SyntheticGradients(3, dim);
        VectorRef ref = new VectorRef();
        for (int e = 0; e < epochs; e++) {
            for (OrderingWorker wk : workers) {
                int[] order = wk.order();
                for (int s = 0; s < order.length; s++) {
                    wk.observe(s, ref.set(g.values(e, wk.id(), order[s]), 0, dim));
                }
            }
            for (OrderingWorker wk : workers) {
                int[] before = wk.order();
                wk.finishEpoch();
                assertEquals(e + 1, wk.epoch());
                int[] after = wk.order();
                assertTrue(Permutations.isPermutation(after));
                assertEquals(before.length, after.length);
            }
            CommunicationStats s = t.stats();
            long reports = pairSteps(units) * (e + 1);
            assertEquals(reports, s.reports(), "reports after epoch " + e);
            assertEquals(reports * (PairReport.HEADER_BYTES + dim * 8L), s.reportBytes());
            assertEquals(units.length * (e + 1L), s.replies());
            // Pair-steps 3, 10, 1, 9: sign bits take 1, 2, 1, 2 bytes.
            assertEquals(expectedReplyBytes(units) * (e + 1), s.replyBytes());
            assertEquals((12 + 1) + (12 + 2) + (12 + 1) + (12 + 2), expectedReplyBytes(units));
            assertEquals(s.reports() + s.replies(), s.messages());
            assertEquals(s.reportBytes() + s.replyBytes(), s.bytes());
        }
        assertEquals(pairSteps(units) * epochs, c.balancedCount());
    }

    @Test
    void workerBuildsNextOrderFromSigns() {
        // One worker, 5 units visited as 0..4, 1-D gradients g = 1, 3, 0, 1, 5.
        // Pair (0,1): d = -2, <0,d> = 0 -> +1: unit 0 to the front, 1 to the back; r = -2.
        // Pair (2,3): d = -1, <r,d> = 2 -> -1: unit 3 to the front, 2 to the back; r = -1.
        // Lone unit 4: d = 5, <r,d> = -5 -> +1: the middle slot.
        Coordinator c = new Coordinator(new int[] {5}, SignRule.deterministic(), 1);
        InProcessTransport t = new InProcessTransport(c);
        OrderingWorker wk = new OrderingWorker(0, Permutations.identity(5), t, FAIL, LONG);
        double[] g = {1, 3, 0, 1, 5};
        VectorRef ref = new VectorRef();
        for (int s = 0; s < 5; s++) {
            wk.observe(s, ref.set(g, s, 1));
        }
        wk.finishEpoch();
        assertArrayEquals(new int[] {0, 3, 4, 2, 1}, wk.order());
        assertEquals(3, t.stats().reports());
        assertEquals(3 * (16 + 8), t.stats().reportBytes());
        assertEquals(12 + 1, t.stats().replyBytes());
    }

    @Test
    void strategyCountsFloatDoubleAndSketchedReports() {
        int[] units = {33, 2, 7};
        int dim = 10;
        int epochs = 2;
        // Pair-steps 17, 1, 4: reply bytes 12 + 3, 12 + 1, 12 + 1.
        assertEquals(41, expectedReplyBytes(units));
        Object[][] cases = {
            {OrderingConfig.builder(OrderingConfig.Kind.CD_GRAB).build(), Input.ND4J_FLOAT, dim * 4},
            {OrderingConfig.builder(OrderingConfig.Kind.CD_GRAB).build(), Input.DOUBLE_ARRAY, dim * 8},
            {OrderingConfig.builder(OrderingConfig.Kind.CD_GRAB).optSketchDim(4).build(), Input.ND4J_FLOAT, 4 * 4},
            {OrderingConfig.builder(OrderingConfig.Kind.CD_GRAB).optSketchDim(4).build(), Input.DOUBLE_ARRAY, 4 * 8},
        };
        SyntheticGradients g = new SyntheticGradients(9, dim);
        for (Object[] k : cases) {
            OrderingConfig cfg = (OrderingConfig) k[0];
            Input in = (Input) k[1];
            int payload = (Integer) k[2];
            try (OrderingStrategy s = cfg.create(units)) {
                for (int e = 0; e < epochs; e++) {
                    g.runEpoch(s, in);
                }
                OrderingStats st = s.stats();
                String what = cfg + " " + in;
                assertEquals(pairSteps(units) * epochs, st.reports(), what);
                assertEquals(pairSteps(units) * epochs * (16L + payload), st.reportBytes(), what);
                assertEquals(units.length * epochs, st.replies(), what);
                assertEquals(expectedReplyBytes(units) * epochs, st.replyBytes(), what);
            }
        }
    }

    @Test
    void skippedPairsSendOnlyTheHeader() {
        int dim = 4;
        OrderingConfig cfg = OrderingConfig.builder(OrderingConfig.Kind.CD_GRAB)
                .optNonFinitePolicy(NonFinitePolicy.SKIP).build();
        try (OrderingStrategy s = cfg.create(4, 3)) {
            double[] nan = {1, Double.NaN, 0, 0};
            double[] ok = {1, 2, 3, 4};
            s.observe(0, 0, ok, 0, dim);
            s.observe(0, 1, nan, 0, dim);
            s.observe(0, 2, ok, 0, dim);
            s.observe(0, 3, ok, 0, dim);
            for (int t = 0; t < 3; t++) {
                s.observe(1, t, ok, 0, dim);
            }
            s.endEpoch();
            OrderingStats st = s.stats();
            assertEquals(4, st.reports());
            assertEquals(4 * 16 + 3 * dim * 8, st.reportBytes());
            assertEquals(1, s.stats().skippedUnits());
            assertTrue(Permutations.isPermutation(s.order(0)));
        }
    }

    @Test
    void awaitSignsTimesOutNamingTheMissingReports() {
        Duration timeout = OrderingConfig.builder(OrderingConfig.Kind.CD_GRAB)
                .optSignTimeout(Duration.ofMillis(200)).build().signTimeout();
        Coordinator c = new Coordinator(new int[] {2, 4}, SignRule.deterministic(), 1);
        InProcessTransport t = new InProcessTransport(c);
        OrderingWorker w0 = new OrderingWorker(0, new int[] {1, 0}, t, FAIL, timeout);
        VectorRef ref = new VectorRef();
        w0.observe(0, ref.set(new double[] {1, 2}, 0, 2));
        w0.observe(1, ref.set(new double[] {3, 1}, 0, 2));
        long start = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class, w0::finishEpoch);
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMs >= 190, "returned after " + waitedMs + " ms");
        assertTrue(waitedMs < 10_000, "waited " + waitedMs + " ms");
        String m = e.getMessage();
        for (String part : new String[] {"worker 0", "epoch 0", "PT0.2S", "pair-step 0 of worker 1", "0=1/1", "1=0/2"}) {
            assertTrue(m.contains(part), "message '" + m + "' lacks '" + part + "'");
        }
        // Direct call on the transport, for the worker that has not reported at all.
        IllegalStateException e1 = assertThrows(IllegalStateException.class,
                () -> t.awaitSigns(1, 0, new SignReply(), Duration.ofMillis(50)));
        assertTrue(e1.getMessage().contains("worker 1"), e1.getMessage());
        assertEquals(0, t.stats().replies(), "a timed-out wait sends no reply");
        assertEquals(0, w0.epoch(), "a timed-out worker stays in its epoch");

        // The protocol recovers once the missing reports arrive: the worker can finish the epoch.
        OrderingWorker w1 = new OrderingWorker(1, Permutations.identity(4), t, FAIL, timeout);
        for (int s = 0; s < 4; s++) {
            w1.observe(s, ref.set(new double[] {s, -s}, 0, 2));
        }
        w0.finishEpoch();
        w1.finishEpoch();
        assertEquals(1, w0.epoch());
        assertEquals(2, t.stats().replies());
    }

    @Test
    void awaitSignsWakesWhenAnotherThreadCompletesTheEpoch() throws Exception {
        Coordinator c = new Coordinator(new int[] {2, 2}, SignRule.deterministic(), 1);
        InProcessTransport t = new InProcessTransport(c);
        PairReport r = new PairReport();
        t.report(r.set(0, 0, 0, vec(1, 0)));
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<Integer> sign = CompletableFuture.supplyAsync(() -> {
            SignReply reply = new SignReply();
            waiting.countDown();
            t.awaitSigns(0, 0, reply, LONG);
            return reply.sign(0);
        });
        assertTrue(waiting.await(10, TimeUnit.SECONDS));
        Thread.sleep(50);
        assertTrue(!sign.isDone(), "awaitSigns returned before the epoch was complete");
        t.report(r.set(0, 0, 1, vec(1, 1)));
        assertEquals(1, sign.get(10, TimeUnit.SECONDS));
        SignReply reply = new SignReply();
        t.awaitSigns(1, 0, reply, LONG);
        assertEquals(-1, reply.sign(0));
    }

    @Test
    void rejectedReportIsNotCounted() {
        Coordinator c = new Coordinator(new int[] {2, 2}, SignRule.deterministic(), 1);
        InProcessTransport t = new InProcessTransport(c);
        PairReport r = new PairReport();
        t.report(r.set(0, 0, 0, vec(1, 0)));
        assertThrows(IllegalArgumentException.class, () -> t.report(r.set(0, 0, 0, vec(1, 0))));
        assertThrows(IllegalArgumentException.class, () -> t.report(r.set(0, 0, 1, vec(1, 0, 0))));
        assertThrows(IllegalArgumentException.class, () -> t.report(r.set(0, 0, 2, vec(1, 0))));
        assertEquals(1, t.stats().reports());
        assertEquals(16 + 16, t.stats().reportBytes());
        assertThrows(IllegalArgumentException.class, () -> new InProcessTransport(null));
    }

    @Test
    void closeWakesWaitersAndRejectsLaterUse() throws Exception {
        Coordinator c = new Coordinator(new int[] {2, 2}, SignRule.deterministic(), 1);
        InProcessTransport t = new InProcessTransport(c);
        OrderingWorker w0 = new OrderingWorker(0, new int[] {0, 1}, t, FAIL, LONG);
        OrderingWorker w1 = new OrderingWorker(1, new int[] {0, 1}, t, FAIL, LONG);
        VectorRef ref = new VectorRef();
        w0.observe(0, ref.set(new double[] {1}, 0, 1));
        w0.observe(1, ref.set(new double[] {2}, 0, 1));
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(w0::finishEpoch);
        Thread.sleep(50);
        t.close();
        ExecutionException ex = assertThrows(ExecutionException.class, () -> waiter.get(10, TimeUnit.SECONDS));
        assertTrue(ex.getCause() instanceof IllegalStateException, String.valueOf(ex.getCause()));
        assertTrue(ex.getCause().getMessage().contains("closed"), ex.getCause().getMessage());

        PairReport r = new PairReport();
        assertThrows(IllegalStateException.class, () -> t.report(r.set(0, 0, 1, vec(1))));
        assertThrows(IllegalStateException.class, () -> t.awaitSigns(0, 0, new SignReply(), LONG));
        w1.observe(0, ref.set(new double[] {1}, 0, 1));
        assertThrows(IllegalStateException.class, () -> w1.observe(1, ref.set(new double[] {2}, 0, 1)));
        assertEquals(1, t.stats().reports(), "stats stay readable after close");
        t.close(); // idempotent
    }

    @Test
    void cdGrabStrategyAfterCloseThrows() {
        OrderingStrategy s = OrderingConfig.of("cd-grab", 1).create(4, 3);
        SyntheticGradients g = new SyntheticGradients(1, 3);
        g.runEpoch(s, Input.DOUBLE_ARRAY);
        s.close();
        s.close();
        assertThrows(IllegalStateException.class, () -> s.observe(0, 0, new double[] {1, 2, 3}, 0, 3));
        assertThrows(IllegalStateException.class, s::endEpoch);
        assertThrows(IllegalStateException.class, () -> s.order(0));
        assertThrows(IllegalStateException.class, () -> s.save(new ByteArrayOutputStream()));
        assertThrows(IllegalStateException.class, () -> s.restore(new ByteArrayInputStream(new byte[0])));
    }

    @Test
    void workerChecksItsStepsAndStaysUnchangedOnErrors() {
        Coordinator c = new Coordinator(new int[] {4}, SignRule.deterministic(), 1);
        InProcessTransport t = new InProcessTransport(c);
        OrderingWorker wk = new OrderingWorker(0, new int[] {3, 2, 1, 0}, t, FAIL, LONG);
        assertEquals(4, wk.units());
        VectorRef ref = new VectorRef();
        IllegalArgumentException skip = assertThrows(IllegalArgumentException.class,
                () -> wk.observe(1, ref.set(new double[] {1, 1}, 0, 2)));
        assertTrue(skip.getMessage().contains("out of order"), skip.getMessage());
        wk.observe(0, ref.set(new double[] {1, 1}, 0, 2));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> wk.observe(0, ref.set(new double[] {1, 1}, 0, 2)));
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
        IllegalStateException early = assertThrows(IllegalStateException.class, wk::finishEpoch);
        assertTrue(early.getMessage().contains("1 of 4"), early.getMessage());

        // NaN in the first gradient of a pair: FAIL names the step and unit of the bad gradient, and the worker
        // keeps its state, so the step can be retried.
        OrderingWorker nanWorker = new OrderingWorker(0, new int[] {3, 2, 1, 0},
                new InProcessTransport(new Coordinator(new int[] {4}, SignRule.deterministic(), 1)),
                FAIL, LONG);
        nanWorker.observe(0, ref.set(new double[] {Double.NaN, 1}, 0, 2));
        NonFiniteGradientException nf = assertThrows(NonFiniteGradientException.class,
                () -> nanWorker.observe(1, ref.set(new double[] {1, 1}, 0, 2)));
        assertEquals(0, nf.step());
        assertEquals(3, nf.unit());
        assertEquals(0, nf.worker());
        assertEquals(0, nf.epoch());

        // Constructor checks.
        assertThrows(IllegalArgumentException.class,
                () -> new OrderingWorker(0, new int[] {0, 0}, t, FAIL, LONG));
        assertThrows(IllegalArgumentException.class,
                () -> new OrderingWorker(0, new int[0], t, FAIL, LONG));
        assertThrows(IllegalArgumentException.class,
                () -> new OrderingWorker(0, new int[] {0}, null, FAIL, LONG));
    }

    @Test
    void workerRejectedByCoordinatorCanRetry() {
        Coordinator c = new Coordinator(new int[] {2, 2}, SignRule.deterministic(), 1);
        InProcessTransport t = new InProcessTransport(c);
        // Worker 1 sets the payload shape (dimension 2) first.
        t.report(new PairReport().set(0, 0, 1, vec(1, 1)));
        OrderingWorker w0 = new OrderingWorker(0, new int[] {0, 1}, t, FAIL, LONG);
        VectorRef ref = new VectorRef();
        w0.observe(0, ref.set(new double[] {1, 2, 3}, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> w0.observe(1, ref.set(new double[] {0, 0, 0}, 0, 3)));
        assertEquals(1, t.stats().reports());
        assertThrows(IllegalStateException.class, w0::finishEpoch, "the rejected step was not taken");
    }

    @Test
    void workerStateRoundTripsAndRefusesAnotherWorkersCheckpoint() throws IOException {
        Coordinator c = new Coordinator(new int[] {3, 3}, SignRule.deterministic(), 1);
        InProcessTransport t = new InProcessTransport(c);
        OrderingWorker a = new OrderingWorker(0, new int[] {2, 0, 1}, t, FAIL, LONG);
        a.observe(0, new VectorRef().set(new double[] {0.5, -1}, 0, 2));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        a.write(new DataOutputStream(b));
        OrderingWorker same = new OrderingWorker(0, new int[] {0, 1, 2}, t, FAIL, LONG);
        same.read(new DataInputStream(new ByteArrayInputStream(b.toByteArray())));
        assertArrayEquals(new int[] {2, 0, 1}, same.order());
        ByteArrayOutputStream b2 = new ByteArrayOutputStream();
        same.write(new DataOutputStream(b2));
        assertArrayEquals(b.toByteArray(), b2.toByteArray());
        // The restored worker continues at step 1 with its cached first gradient.
        assertThrows(IllegalArgumentException.class, () -> same.observe(0, new VectorRef().set(new double[] {1, 1}, 0, 2)));
        same.observe(1, new VectorRef().set(new double[] {1.5, 1}, 0, 2));
        assertEquals(1, t.stats().reports());

        OrderingWorker other = new OrderingWorker(1, new int[] {0, 1, 2}, t, FAIL, LONG);
        IOException e = assertThrows(IOException.class,
                () -> other.read(new DataInputStream(new ByteArrayInputStream(b.toByteArray()))));
        assertTrue(e.getMessage().contains("worker 0"), e.getMessage());
    }
}
