package org.dgrab.core.internal.protocol;

import java.time.Duration;

/**
 * A {@link Transport} for workers that are threads of one JVM: the coordinator runs inside whichever worker thread
 * delivers a report, under one lock, and waiting workers sleep on that lock. Reports are counted with the bytes
 * they would take on a network, so communication can be reported as if distributed.
 */
public final class InProcessTransport implements Transport {
    private final Coordinator coordinator;
    private final CommunicationStats stats = new CommunicationStats();
    private final Object lock = new Object();
    private boolean closed;

    /**
     * @param coordinator the coordinator; only this transport may call it from now on
     */
    public InProcessTransport(Coordinator coordinator) {
        if (coordinator == null) {
            throw new IllegalArgumentException("coordinator is null");
        }
        this.coordinator = coordinator;
    }

    /** @return the coordinator (call it only while holding no expectations of thread-safety: for checkpoints) */
    public Coordinator coordinator() {
        return coordinator;
    }

    @Override
    public void report(PairReport report) {
        synchronized (lock) {
            checkOpen();
            int before = coordinator.epoch();
            coordinator.accept(report);
            stats.countReport(report.wireBytes());
            if (coordinator.epoch() != before) {
                lock.notifyAll();
            }
        }
    }

    @Override
    public void awaitSigns(int worker, int epoch, SignReply reply, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                checkOpen();
                if (coordinator.signsReady(worker, epoch)) {
                    break;
                }
                if (epoch < coordinator.epoch() - 1) {
                    break; // takeSigns explains that the epoch is gone
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("worker " + worker + " waited " + timeout + " for its signs of epoch "
                            + epoch + "; " + coordinator.describeMissing());
                }
                try {
                    lock.wait(Math.max(1L, left / 1_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("worker " + worker + " was interrupted while waiting for its signs of epoch " + epoch, e);
                }
            }
            coordinator.takeSigns(worker, epoch, reply);
            stats.countReply(reply.wireBytes());
        }
    }

    @Override
    public CommunicationStats stats() {
        return stats;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("transport is closed");
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }
}
