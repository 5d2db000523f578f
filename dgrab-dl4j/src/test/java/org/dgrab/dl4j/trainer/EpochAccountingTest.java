package org.dgrab.dl4j.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dgrab.core.OrderingStats;
import org.junit.jupiter.api.Test;

/** {@link EpochAccounting}: what an epoch's statistics are made of, and which restored totals are refused. */
class EpochAccountingTest {

    @Test
    void epochStatisticsFromTheSteps() {
        EpochAccounting a = new EpochAccounting();
        a.start(new OrderingStats(0, 3, 300, 1, 8));
        a.step(2.0 * 10, 10);
        a.step(1.0 * 30, 30);
        a.addSeconds(1.5);
        a.addOrderingSeconds(0.25);
        EpochStats s = a.finish(4, 2, 500_000_000L, new OrderingStats(1, 7, 700, 2, 16));
        assertEquals(4, s.epoch());
        assertEquals(50.0 / 40, s.meanBatchLoss(), 0.0);
        assertEquals(40, s.examples());
        assertEquals(2, s.steps());
        assertEquals(1.5, s.seconds(), 0.0);
        assertEquals(0.75, s.orderingSeconds(), 1e-12);
        assertEquals(5, s.messages(), "messages of this epoch only: (7 + 2) - (3 + 1)");
        assertEquals(408, s.bytes(), "bytes of this epoch only: (700 + 16) - (300 + 8)");
        // Counting starts again from zero.
        EpochStats empty = a.finish(5, 0, 0, OrderingStats.NONE);
        assertTrue(Double.isNaN(empty.meanBatchLoss()));
        assertEquals(0, empty.examples());
    }

    @Test
    void restoredTotalsContinue() {
        EpochAccounting a = new EpochAccounting();
        a.restore(new EpochAccounting.State(6, 3, 0.5, 2, 0, 0));
        a.step(4, 1);
        EpochStats s = a.finish(0, 1, 0, OrderingStats.NONE);
        assertEquals(10.0 / 4, s.meanBatchLoss(), 0.0);
        assertEquals(0.5, s.orderingSeconds(), 0.0);
    }

    @Test
    void negativeOrNonFiniteTotalsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EpochAccounting.State(0, -1, 0, 0, 0, 0));
        assertTrue(e.getMessage().contains("examples") && e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EpochAccounting.State(0, 0, Double.NaN, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new EpochAccounting.State(0, 0, 0, -1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new EpochAccounting.State(0, 0, 0, 0, -5, 0));
        assertThrows(IllegalArgumentException.class, () -> new EpochAccounting.State(0, 0, 0, 0, 0, -5));
    }
}
