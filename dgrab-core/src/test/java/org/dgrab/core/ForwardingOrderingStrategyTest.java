package org.dgrab.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import org.dgrab.core.OrderingConfig.Kind;
import static org.dgrab.core.StrategyTestSupport.assertSameOrders;
import static org.dgrab.core.StrategyTestSupport.drifting;
import static org.dgrab.core.StrategyTestSupport.observeAll;
import static org.dgrab.core.StrategyTestSupport.orders;
import static org.dgrab.core.StrategyTestSupport.run;
import org.dgrab.core.StrategyTestSupport.Gradients;
import org.dgrab.core.StrategyTestSupport.Input;
import org.dgrab.core.strategy.ForwardingOrderingStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.ndarray.INDArray;

@Timeout(60)
class ForwardingOrderingStrategyTest {
    private static final int[] SHARDS = {5, 4, 6};
    private static final int DIM = 4;

    /** Counts observations and epochs, the way a timing or herding decorator would watch them. */
    private static final class Counting extends ForwardingOrderingStrategy {
        int observed;
        int epochs;

        Counting(OrderingStrategy delegate) {
            super(delegate);
        }

        @Override
        protected OrderingStrategy wrap(OrderingStrategy fresh) {
            return new Counting(fresh);
        }

        @Override
        public void observe(int worker, int step, INDArray gradient) {
            super.observe(worker, step, gradient);
            observed++;
        }

        @Override
        public void observe(int worker, int step, double[] values, int offset, int dim) {
            super.observe(worker, step, values, offset, dim);
            observed++;
        }

        @Override
        public void endEpoch() {
            super.endEpoch();
            epochs++;
        }
    }

    private static OrderingStrategy cdGrab(long seed) {
        return OrderingConfig.builder(Kind.CD_GRAB).optSeed(seed).build().create(SHARDS);
    }

    @Test
    void decoratedStrategyGivesTheSameOrdersAndSeesEveryCall() {
        Gradients g = drifting(3, DIM);
        List<int[][]> plain = run(cdGrab(9), g, 3, Input.ND_FLOAT);
        Counting c = new Counting(cdGrab(9));
        List<int[][]> decorated = run(c, g, 3, Input.ND_FLOAT);
        assertSameOrders(plain, decorated);
        assertEquals(3 * (5 + 4 + 6), c.observed);
        assertEquals(3, c.epochs);
        assertEquals(3, c.epoch());
        assertEquals(SHARDS.length, c.workers());
        assertEquals(6, c.units(2));
        assertTrue(c.needsGradients());
        assertEquals(Kind.CD_GRAB, c.config().kind());
        c.close();
    }

    @Test
    void copyWrapsAFreshCopyInTheSameDecorator() {
        Counting c = new Counting(cdGrab(4));
        run(c, drifting(1, DIM), 2, Input.ARRAY);
        OrderingStrategy copy = c.copy();
        Counting fresh = assertInstanceOf(Counting.class, copy);
        assertNotSame(c.delegate(), fresh.delegate());
        assertEquals(0, fresh.epoch());
        assertEquals(0, fresh.observed);
        assertArrayEquals(cdGrab(4).order(1), fresh.order(1));
        c.close();
        fresh.close();
    }

    @Test
    void checkpointsGoThroughTheDecorator() throws IOException {
        Gradients g = drifting(5, DIM);
        Counting a = new Counting(cdGrab(2));
        run(a, g, 1, Input.ND_DOUBLE);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.save(bytes);
        OrderingStrategy b = new Counting(cdGrab(2));
        b.restore(new ByteArrayInputStream(bytes.toByteArray()));
        observeAll(a, g, Input.ND_DOUBLE);
        observeAll(b, g, Input.ND_DOUBLE);
        a.endEpoch();
        b.endEpoch();
        for (int w = 0; w < SHARDS.length; w++) {
            assertArrayEquals(orders(a)[w], orders(b)[w], "worker " + w);
        }
        a.close();
        b.close();
    }

    @Test
    void unwrapFindsTheInnermostStrategyAndCloseReachesIt() {
        OrderingStrategy inner = cdGrab(0);
        Counting outer = new Counting(new Counting(inner));
        assertSame(inner, ForwardingOrderingStrategy.unwrap(outer));
        assertSame(inner, ForwardingOrderingStrategy.unwrap(inner));
        outer.close();
        assertThrows(IllegalStateException.class, () -> inner.order(0));
    }

    @Test
    void nullDelegateIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Counting(null));
        assertTrue(e.getMessage().contains("null"), e.getMessage());
    }
}
