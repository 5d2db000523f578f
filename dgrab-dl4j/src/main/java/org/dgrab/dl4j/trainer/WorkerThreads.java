package org.dgrab.dl4j.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * One thread per worker for {@link ExecutionMode#THREADED}: runs a task for every worker in parallel and waits for
 * all of them, then adds the workers' gradients to the step's sum in worker order, as the sequential mode does, so
 * both modes give the same bits. Call order: {@link #step} any number of times, {@link #close()} at the end.
 */
final class WorkerThreads implements WorkerExecution {
    private final int workers;
    private final ExecutorService pool;

    /** @param workers number of workers (and threads) */
    WorkerThreads(int workers) {
        this.workers = workers;
        this.pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "dgrab-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs {@code task.accept(w)} for every worker {@code w} in parallel and waits until all have finished.
     *
     * @param task the work of one worker
     * @throws RuntimeException the first failure in worker order, as thrown by the task
     */
    private void run(IntConsumer task) {
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            final int worker = w;
            fs.add(pool.submit(() -> task.accept(worker)));
        }
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while workers computed gradients", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException) {
                    throw (RuntimeException) c;
                }
                throw new IllegalStateException("worker failed", c);
            }
        }
    }

    @Override
    public void step(IntConsumer compute, IntConsumer add, Runnable afterParallel) {
        run(compute);
        for (int w = 0; w < workers; w++) {
            add.accept(w);
        }
        afterParallel.run();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
