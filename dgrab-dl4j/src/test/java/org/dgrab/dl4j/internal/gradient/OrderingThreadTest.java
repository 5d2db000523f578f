package org.dgrab.dl4j.internal.gradient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * {@link OrderingThread}: tasks in order, the first failure rethrown and the rest skipped until a settle, and at most
 * {@code capacity} tasks unfinished.
 */
class OrderingThreadTest {

    @Test
    void firstFailureIsRethrownAndLaterTasksSkipped() {
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        IllegalStateException boom = new IllegalStateException("boom");
        try (OrderingThread t = new OrderingThread("test", 8)) {
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

    @Test
    void reserveWaitsForRoomAndCancelGivesItBack() throws Exception {
        try (OrderingThread t = new OrderingThread("test", 1)) {
            CountDownLatch release = new CountDownLatch(1);
            t.submit(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            // The one slot is taken by the blocked task: a second reservation waits until that task ends.
            CompletableFuture<OrderingThread.Slot> second = CompletableFuture.supplyAsync(t::reserve);
            Thread.sleep(200);
            assertFalse(second.isDone());
            release.countDown();
            OrderingThread.Slot slot = second.get(10, TimeUnit.SECONDS);
            slot.cancel();
            assertThrows(IllegalStateException.class, slot::cancel);
            // The cancelled room is free again.
            CompletableFuture.supplyAsync(t::reserve).get(10, TimeUnit.SECONDS).cancel();
        }
    }

    @Test
    void capacityBelowOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OrderingThread("test", 0));
        assertEquals("capacity must be >= 1, got 0", e.getMessage());
    }
}
