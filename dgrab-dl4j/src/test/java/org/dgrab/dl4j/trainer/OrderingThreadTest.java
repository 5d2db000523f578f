package org.dgrab.dl4j.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link OrderingThread}: tasks in order, the first failure rethrown and the rest skipped until a settle. */
class OrderingThreadTest {

    @Test
    void firstFailureIsRethrownAndLaterTasksSkipped() {
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        IllegalStateException boom = new IllegalStateException("boom");
        try (OrderingThread t = new OrderingThread()) {
            t.submit(() -> ran.add(1));
            t.submit(() -> {
                throw boom;
            });
            t.submit(() -> ran.add(3));
            assertSame(boom, assertThrows(IllegalStateException.class, t::awaitAll));
            assertEquals(List.of(1), ran);
            // Every later wait reports the same failure, until a restore settles it.
            assertSame(boom, assertThrows(IllegalStateException.class, () -> t.await(null)));
            t.settle();
            t.submit(() -> ran.add(4));
            t.awaitAll();
            assertEquals(List.of(1, 4), ran);
        }
    }
}
