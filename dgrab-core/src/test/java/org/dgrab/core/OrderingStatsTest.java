package org.dgrab.core;

import static org.dgrab.core.StrategyTestSupport.drifting;
import static org.dgrab.core.StrategyTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dgrab.core.OrderingConfig.Kind;
import org.dgrab.core.internal.protocol.CommunicationStats;
import org.dgrab.core.strategy.ForwardingOrderingStrategy;
import org.dgrab.core.StrategyTestSupport.Input;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link OrderingStrategy#stats()}: the counters every caller reads without knowing the strategy's class. */
@Timeout(60)
class OrderingStatsTest {
    private static final int[] SHARDS = {4, 3};
    private static final double[] NAN = {Double.NaN, 1};
    private static final double[] OK = {1, 2};

    /** Epoch 0 with worker 0's second pair (steps 2, 3) non-finite; every other gradient is finite. */
    private static void epochWithOneBadPair(OrderingStrategy s) {
        for (int w = 0; w < SHARDS.length; w++) {
            for (int t = 0; t < SHARDS[w]; t++) {
                s.observe(w, t, w == 0 && t == 3 ? NAN : new double[] {OK[0] + t, OK[1] - w}, 0, 2);
            }
        }
        s.endEpoch();
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"MEAN_BALANCE", "PAIR_BALANCE", "CD_GRAB", "CD_GRAB_RECURSIVE"})
    void skippedUnitsAreCountedThroughTheInterfaceAndThroughDecorators(Kind kind) {
        OrderingConfig cfg = OrderingConfig.builder(kind).optNonFinitePolicy(NonFinitePolicy.SKIP).build();
        try (OrderingStrategy s = cfg.create(SHARDS)) {
            assertEquals(0, s.stats().skippedUnits());
            epochWithOneBadPair(s);
            assertEquals(1, s.stats().skippedUnits(), kind.id());
            assertEquals(((AbstractOrderingStrategy) s).skippedCount(), s.stats().skippedUnits(), "same as skippedCount()");
            OrderingStrategy decorated = new ForwardingOrderingStrategyTestDecorator(s);
            assertEquals(s.stats(), decorated.stats(), "a decorator forwards stats()");
        }
    }

    @Test
    void cdGrabCountsMessagesAndBytesLikeItsCommunicationCounters() {
        OrderingConfig cfg = OrderingConfig.builder(Kind.CD_GRAB).optNonFinitePolicy(NonFinitePolicy.SKIP).build();
        try (CoordinatedPairBalance s = (CoordinatedPairBalance) cfg.create(SHARDS)) {
            assertEquals(OrderingStats.NONE, s.stats());
            epochWithOneBadPair(s);
            run(s, drifting(4, 2), 2, Input.ARRAY);
            CommunicationStats c = s.communication();
            // 2 + 2 reports and 2 replies per epoch, three epochs
            assertEquals(3 * 6, c.messages());
            assertEquals(new OrderingStats(s.skippedCount(), c.reports(), c.reportBytes(), c.replies(), c.replyBytes()),
                    s.stats());
            assertEquals(c.messages(), s.stats().messages());
            assertEquals(c.bytes(), s.stats().bytes());
            assertEquals(1, s.stats().skippedUnits());
            assertTrue(s.stats().bytes() > c.messages() * 12, "every message has at least its header");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RANDOM_RESHUFFLING", "SHUFFLE_ONCE", "FIXED", "MEAN_BALANCE", "PAIR_BALANCE"})
    void orderingsWithoutMessagesReportNone(Kind kind) {
        try (OrderingStrategy s = OrderingConfig.builder(kind).build().create(SHARDS)) {
            run(s, drifting(4, 2), 2, Input.ARRAY);
            assertEquals(OrderingStats.NONE, s.stats());
            s.close();
            assertEquals(OrderingStats.NONE, s.stats(), "readable after close");
        }
    }

    @Test
    void negativeCountersAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OrderingStats(0, -1, 0, 0, 0));
        assertTrue(e.getMessage().contains("reports=-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new OrderingStats(0, 0, 0, 0, -1));
    }

    /** The smallest decorator: forwards everything. */
    private static final class ForwardingOrderingStrategyTestDecorator extends ForwardingOrderingStrategy {
        ForwardingOrderingStrategyTestDecorator(OrderingStrategy delegate) {
            super(delegate);
        }

        @Override
        protected OrderingStrategy wrap(OrderingStrategy fresh) {
            return new ForwardingOrderingStrategyTestDecorator(fresh);
        }
    }
}
