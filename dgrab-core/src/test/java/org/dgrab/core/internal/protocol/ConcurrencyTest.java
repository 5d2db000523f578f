package org.dgrab.core.internal.protocol;

import static org.dgrab.core.internal.protocol.InProcessTransportTest.FAIL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;


import org.dgrab.core.OrderingConfig;
import org.dgrab.core.OrderingConfig.Kind;
import org.dgrab.core.OrderingStrategy;
import org.dgrab.core.balance.SignRule;
import org.dgrab.core.internal.balance.VectorRef;
import org.dgrab.core.fixtures.SyntheticGradients;
import org.dgrab.core.fixtures.SyntheticGradients.Input;
import org.dgrab.core.internal.random.Permutations;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Orders must depend only on configuration and gradients, never on thread timing: n = 16 workers run on their own
 * threads with random pauses, and every run must give exactly the orders of a single-threaded run.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConcurrencyTest {
    private static final int N = 16;
    private static final int EPOCHS = 4;
    private static final int DIM = 8;
    private static final int RUNS = 3;
    private static final int[] UNITS = new int[N];

    static {
        for (int w = 0; w < N; w++) {
            UNITS[w] = 4 + (w * 7) % 11; // 4..14 units: odd and even shards, some workers with fewer pair-steps
        }
    }

    static Stream<Arguments> configs() {
        List<OrderingConfig> cfgs = List.of(
                OrderingConfig.builder(Kind.CD_GRAB).optSeed(3).build(),
                OrderingConfig.builder(Kind.CD_GRAB).optSeed(3).optSignRule(SignRule.probabilistic(1.0)).build(),
                OrderingConfig.builder(Kind.CD_GRAB).optSeed(3).optSketchDim(3).build(),
                OrderingConfig.builder(Kind.CD_GRAB_RECURSIVE).optSeed(3).build(),
                OrderingConfig.builder(Kind.CD_GRAB_RECURSIVE).optSeed(3).optDepth(4)
                        .optSignRule(SignRule.probabilistic(1.0)).build(),
                OrderingConfig.builder(Kind.CD_GRAB_RECURSIVE).optSeed(3).optDepth(2).optSketchDim(3).build(),
                OrderingConfig.builder(Kind.PAIR_BALANCE).optSeed(3).optSignRule(SignRule.probabilistic(1.0)).build(),
                OrderingConfig.builder(Kind.MEAN_BALANCE).optSeed(3).build());
        List<Arguments> out = new ArrayList<>();
        for (OrderingConfig c : cfgs) {
            for (Input in : Input.values()) {
                out.add(Arguments.of(c, in));
            }
        }
        return out.stream();
    }

    /** Random yields and short parks, to shuffle how the threads interleave. */
    private static void jitter(Random rnd) {
        int r = rnd.nextInt(10);
        if (r < 3) {
            Thread.yield();
        } else if (r == 3) {
            LockSupport.parkNanos(20_000 + rnd.nextInt(200_000));
        }
    }

    private static int[][][] sequential(OrderingConfig cfg, Input in, SyntheticGradients g) {
        int[][][] orders = new int[EPOCHS + 1][][];
        try (OrderingStrategy s = cfg.create(UNITS)) {
            orders[0] = SyntheticGradients.orders(s);
            for (int e = 0; e < EPOCHS; e++) {
                // Worker by worker, the opposite of round-robin, which threads tend to approach.
                for (int w = N - 1; w >= 0; w--) {
                    for (int t = 0; t < UNITS[w]; t++) {
                        g.observe(s, in, w, t);
                    }
                }
                s.endEpoch();
                orders[e + 1] = SyntheticGradients.orders(s);
            }
        }
        return orders;
    }

    private static int[][][] threaded(OrderingConfig cfg, Input in, SyntheticGradients g, long timingSeed)
            throws InterruptedException {
        int[][][] orders = new int[EPOCHS + 1][][];
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (OrderingStrategy s = cfg.create(UNITS)) {
            orders[0] = SyntheticGradients.orders(s);
            int[] epochsDone = {0};
            // The barrier action runs endEpoch while every worker thread waits, as the contract requires.
            CyclicBarrier barrier = new CyclicBarrier(N, () -> {
                s.endEpoch();
                orders[++epochsDone[0]] = SyntheticGradients.orders(s);
            });
            CountDownLatch start = new CountDownLatch(1);
            Thread[] threads = new Thread[N];
            for (int w = 0; w < N; w++) {
                int worker = w;
                Random rnd = new Random(timingSeed * 31 + w);
                threads[w] = new Thread(() -> {
                    try {
                        start.await();
                        for (int e = 0; e < EPOCHS; e++) {
                            for (int t = 0; t < UNITS[worker]; t++) {
                                jitter(rnd);
                                g.observe(s, in, worker, t);
                            }
                            barrier.await(30, TimeUnit.SECONDS);
                        }
                    } catch (BrokenBarrierException e) {
                        // another thread failed; its error is recorded
                    } catch (Throwable e) {
                        errors.add(e);
                        barrier.reset();
                    }
                }, "worker-" + w);
                threads[w].start();
            }
            start.countDown(); // all threads hit the first observation (and the lazy initialisation) together
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            if (!errors.isEmpty()) {
                throw new AssertionError("worker thread failed", errors.get(0));
            }
            assertEquals(EPOCHS, s.epoch());
        }
        return orders;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("configs")
    void concurrentObserveGivesTheSequentialOrders(OrderingConfig cfg, Input in) throws InterruptedException {
        SyntheticGradients g = new SyntheticGradients(77, DIM);
        int[][][] expected = sequential(cfg, in, g);
        // The orders must actually move, or the comparison would prove little.
        boolean changed = false;
        for (int w = 0; w < N; w++) {
            changed |= !java.util.Arrays.equals(expected[0][w], expected[EPOCHS][w]);
        }
        assertTrue(changed, "orders never changed");
        // ND4J's scatter-add behind the sketch is slow on a loaded CPU: one threaded run suffices there.
        int runs = cfg.sketchDim() > 0 && in == Input.ND4J_FLOAT ? 1 : RUNS;
        for (int run = 0; run < runs; run++) {
            int[][][] got = threaded(cfg, in, g, run);
            for (int e = 0; e <= EPOCHS; e++) {
                for (int w = 0; w < N; w++) {
                    assertArrayEquals(expected[e][w], got[e][w], cfg + " " + in + " run " + run + " epoch " + e + " worker " + w);
                }
            }
        }
    }

    /**
     * The real protocol without any barrier: each thread drives its own {@link OrderingWorker} and blocks only in
     * {@link OrderingWorker#finishEpoch()}; fast workers start the next epoch while slow ones still collect signs.
     */
    @ParameterizedTest
    @EnumSource(Input.class)
    void orderingWorkersOnTheirOwnThreadsMatchTheCdGrabStrategy(Input in) throws InterruptedException {
        OrderingConfig cfg = OrderingConfig.builder(Kind.CD_GRAB).optSeed(5).build();
        SyntheticGradients g = new SyntheticGradients(78, DIM);
        int[][][] expected = new int[EPOCHS + 1][][];
        long expectedReports;
        long expectedReportBytes;
        try (OrderingStrategy s = cfg.create(UNITS)) {
            expected[0] = SyntheticGradients.orders(s);
            for (int e = 0; e < EPOCHS; e++) {
                g.runEpoch(s, in);
                expected[e + 1] = SyntheticGradients.orders(s);
            }
            expectedReports = s.stats().reports();
            expectedReportBytes = s.stats().reportBytes();
        }
        for (int run = 0; run < RUNS; run++) {
            Coordinator c = new Coordinator(UNITS, SignRule.deterministic(), 0);
            InProcessTransport t = new InProcessTransport(c);
            int[][][] got = new int[EPOCHS + 1][N][];
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            Thread[] threads = new Thread[N];
            for (int w = 0; w < N; w++) {
                int id = w;
                Random rnd = new Random(run * 1000L + w);
                OrderingWorker wk = new OrderingWorker(w, expected[0][w], t, FAIL,
                        java.time.Duration.ofSeconds(30));
                threads[w] = new Thread(() -> {
                    VectorRef ref = new VectorRef();
                    try {
                        start.await();
                        for (int e = 0; e < EPOCHS; e++) {
                            int[] order = wk.order();
                            got[e][id] = order;
                            for (int step = 0; step < order.length; step++) {
                                jitter(rnd);
                                if (in == Input.ND4J_FLOAT) {
                                    wk.observe(step, ref.set(g.floats(e, id, order[step])));
                                } else {
                                    wk.observe(step, ref.set(g.values(e, id, order[step]), 0, DIM));
                                }
                            }
                            wk.finishEpoch();
                        }
                        got[EPOCHS][id] = wk.order();
                    } catch (Throwable e) {
                        errors.add(e);
                        t.close(); // wakes the others
                    }
                }, "protocol-worker-" + w);
                threads[w].start();
            }
            start.countDown();
            for (Thread th : threads) {
                th.join(TimeUnit.SECONDS.toMillis(30));
            }
            if (!errors.isEmpty()) {
                throw new AssertionError("worker thread failed", errors.get(0));
            }
            for (int e = 0; e <= EPOCHS; e++) {
                for (int w = 0; w < N; w++) {
                    assertArrayEquals(expected[e][w], got[e][w], in + " run " + run + " epoch " + e + " worker " + w);
                }
            }
            assertEquals(expectedReports, t.stats().reports());
            assertEquals(expectedReportBytes, t.stats().reportBytes());
            assertEquals((long) N * EPOCHS, t.stats().replies());
            assertEquals(0, c.pendingCount());
            assertEquals(EPOCHS, c.epoch());
            t.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void permutationsStayValidUnderContention(Input in) throws InterruptedException {
        // Same as above for every gradient-free kind too: concurrent observe calls are accepted and discarded.
        for (Kind k : new Kind[] {Kind.RANDOM_RESHUFFLING, Kind.SHUFFLE_ONCE, Kind.FIXED}) {
            OrderingConfig cfg = OrderingConfig.builder(k).optSeed(2).build();
            SyntheticGradients g = new SyntheticGradients(1, DIM);
            int[][][] expected = sequential(cfg, in, g);
            int[][][] got = threaded(cfg, in, g, 9);
            for (int e = 0; e <= EPOCHS; e++) {
                for (int w = 0; w < N; w++) {
                    assertTrue(Permutations.isPermutation(got[e][w]));
                    assertArrayEquals(expected[e][w], got[e][w], k + " epoch " + e + " worker " + w);
                }
            }
        }
    }
}
