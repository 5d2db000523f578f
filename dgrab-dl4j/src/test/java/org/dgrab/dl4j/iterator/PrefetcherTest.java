package org.dgrab.dl4j.iterator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

/** The prefetcher serves batches in order across restarts from one loader thread, and hands every failure over. */
class PrefetcherTest {

    @Test
    void restartsReuseOneLoaderThreadAndServeInOrder() throws Exception {
        Prefetcher p = new Prefetcher(2, "test-prefetch");
        Set<Thread> loaders = ConcurrentHashMap.newKeySet();
        for (int epoch = 0; epoch < 3; epoch++) {
            int e = epoch;
            for (int k = 0; k < 5; k++) {
                assertEquals(e * 100 + k, p.take(k, 5, b -> {
                    loaders.add(Thread.currentThread());
                    return e * 100 + b;
                }));
            }
            p.stop();
        }
        // A rewind in the middle restarts from the batch asked for.
        assertEquals(3, p.take(3, 5, b -> b));
        assertEquals(1, p.take(1, 5, b -> b));
        p.close();
        assertEquals(1, loaders.size(), "one loader thread for every epoch");
        assertEquals("test-prefetch", loaders.iterator().next().getName());
    }

    @Test
    void anErrorWhileLoadingReachesTheConsumer() {
        Prefetcher p = new Prefetcher(2, "test-prefetch");
        StackOverflowError error = new StackOverflowError("deep");
        ExecutionException e = assertThrows(ExecutionException.class, () -> p.take(0, 3, b -> {
            throw error;
        }));
        assertSame(error, e.getCause());
        IllegalStateException failure = new IllegalStateException("bad file");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> p.take(0, 3, b -> {
            throw failure;
        }));
        assertSame(failure, thrown);
        p.close();
    }
}
