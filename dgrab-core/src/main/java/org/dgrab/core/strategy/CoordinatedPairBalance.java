package org.dgrab.core.strategy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import org.dgrab.core.OrderingConfig;
import org.dgrab.core.balance.VectorRef;
import org.dgrab.core.protocol.CommunicationStats;
import org.dgrab.core.protocol.Coordinator;
import org.dgrab.core.protocol.InProcessTransport;
import org.dgrab.core.protocol.OrderingWorker;
import org.dgrab.core.random.SplitMix64;

/**
 * Coordinated PairBalance, CD-GraB: every worker reports the difference of each pair of consecutive gradients; one
 * {@link Coordinator} balances all {@code n} differences of a pair-step, in worker-id order, against a single
 * shared running sum and gives each worker its signs; each worker builds its own next order. Runs the real
 * protocol ({@link OrderingWorker}s talking to a coordinator over an {@link InProcessTransport}), so it works
 * with one thread per worker and counts what a network would carry ({@link #communication()}).
 *
 * <p>With one worker this equals {@link PairBalance} exactly. Workers may own different numbers of units; a
 * worker with an odd number reports its last unit's own vector. Training never waits on the coordinator except
 * at {@link #endEpoch()}.
 */
public final class CoordinatedPairBalance extends AbstractOrderingStrategy {
    private static final long COORDINATOR_STREAM = 0x434F_4F52L;

    private final Coordinator coordinator;
    private final InProcessTransport transport;
    private final OrderingWorker[] workers;

    /**
     * Prefer {@link OrderingConfig#create(int...)}.
     *
     * @param config         configuration of kind {@link OrderingConfig.Kind#CD_GRAB}
     * @param unitsPerWorker units of each worker
     */
    public CoordinatedPairBalance(OrderingConfig config, int[] unitsPerWorker) {
        super(config, unitsPerWorker);
        coordinator = new Coordinator(unitsPerWorker, config.signRule(), coordinatorSeed(config.seed()));
        transport = new InProcessTransport(coordinator);
        workers = new OrderingWorker[unitsPerWorker.length];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new OrderingWorker(w, order(w), transport, config.nonFinitePolicy(), config.signTimeout());
        }
    }

    /**
     * Seed of the coordinator's sign generator.
     *
     * @param seed the configuration's seed
     * @return the derived seed
     */
    static long coordinatorSeed(long seed) {
        return SplitMix64.derive(seed, COORDINATOR_STREAM);
    }

    /** @return messages and bytes exchanged with the coordinator so far */
    public CommunicationStats communication() {
        return transport.stats();
    }

    @Override
    public long skippedCount() {
        long s = super.skippedCount();
        for (OrderingWorker w : workers) {
            s += w.skippedCount();
        }
        return s;
    }

    @Override
    protected void onObserve(int worker, int step, int unit, VectorRef x) {
        workers[worker].observe(step, x);
    }

    @Override
    protected void nextOrders(int[][] current, int[][] next) {
        for (int w = 0; w < workers.length; w++) {
            workers[w].finishEpoch();
            System.arraycopy(workers[w].order(), 0, next[w], 0, next[w].length);
        }
    }

    @Override
    protected void writeState(DataOutputStream out) throws IOException {
        coordinator.write(out);
        for (OrderingWorker w : workers) {
            w.write(out);
        }
        CommunicationStats s = transport.stats();
        out.writeLong(s.reports());
        out.writeLong(s.reportBytes());
        out.writeLong(s.replies());
        out.writeLong(s.replyBytes());
    }

    @Override
    protected void readState(DataInputStream in) throws IOException {
        coordinator.read(in);
        for (OrderingWorker w : workers) {
            w.read(in);
        }
        transport.stats().setAll(in.readLong(), in.readLong(), in.readLong(), in.readLong());
    }

    @Override
    protected void onClose() {
        transport.close();
    }
}
