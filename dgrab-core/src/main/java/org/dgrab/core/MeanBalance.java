package org.dgrab.core;

import java.io.DataOutputStream;
import java.io.IOException;

import org.dgrab.core.internal.balance.Balancer;
import org.dgrab.core.internal.balance.OrderBuilder;
import org.dgrab.core.internal.balance.VectorBuffer;
import org.dgrab.core.internal.balance.VectorRef;
import org.dgrab.core.internal.random.Seeds;
import org.dgrab.core.internal.state.StateReader;

/**
 * GraB's original MeanBalance: each gradient is centred with the previous epoch's mean gradient (zero in epoch 0)
 * and balanced against a running sum; sign +1 sends the unit to the front of the next order, -1 to the back.
 * With several workers every worker does this alone on its own shard: the ID-GraB (mean) baseline.
 *
 * <p>Per observation: one subtraction, one dot, one axpy and one accumulation into next epoch's mean. Memory per
 * worker: four vectors of the gradient (or sketch) dimension.
 */
final class MeanBalance extends AbstractOrderingStrategy {
    private final Worker[] state;

    /** Per-worker state. */
    private static final class Worker {
        final Balancer balancer;
        OrderBuilder next = new OrderBuilder();
        VectorBuffer mean;
        VectorBuffer nextSum;
        VectorBuffer centred;
        int counted;

        Worker(Balancer balancer) {
            this.balancer = balancer;
        }
    }

    /**
     * Built by {@link OrderingConfig#create(int...)}, the only way to get one.
     *
     * @param config         configuration of kind {@link OrderingConfig.Kind#MEAN_BALANCE}
     * @param unitsPerWorker units of each worker
     */
    MeanBalance(OrderingConfig config, int[] unitsPerWorker) {
        super(config, unitsPerWorker);
        state = new Worker[unitsPerWorker.length];
        for (int w = 0; w < state.length; w++) {
            state[w] = new Worker(new Balancer(config.signRule(), Seeds.meanBalanceSigns(config.seed(), w)));
            state[w].next.reset(unitsPerWorker[w]);
        }
    }

    /** @return 4: mean, next sum, centred vector and the balancer's running sum */
    @Override
    protected int stateVectorsPerWorker() {
        return 4;
    }

    @Override
    protected void allocate(VectorBuffer prototype) {
        for (Worker s : state) {
            s.mean = prototype.newZero();
            s.nextSum = prototype.newZero();
            s.centred = prototype.newZero();
        }
    }

    @Override
    protected void onObserve(int worker, int step, int unit, VectorRef x) {
        Worker s = state[worker];
        s.centred.difference(x, s.mean);
        int sign = s.balancer.balance(s.centred);
        if (sign == Balancer.NOT_FINITE) {
            nonFinite(worker, step, unit, NonFiniteText.of(x));
            sign = 1;
        } else {
            s.nextSum.add(x);
            s.counted++;
        }
        s.next.place(sign, unit);
    }

    @Override
    protected void nextOrders(int[][] current, int[][] next) {
        for (int w = 0; w < state.length; w++) {
            Worker s = state[w];
            System.arraycopy(s.next.result(), 0, next[w], 0, next[w].length);
            s.next.reset(next[w].length);
            if (s.mean != null) {
                s.mean.assign(s.nextSum);
                if (s.counted > 0) {
                    s.mean.scale(1.0 / s.counted);
                }
                s.nextSum.zero();
                s.balancer.reset();
            }
            s.counted = 0;
        }
    }

    /**
     * The mean gradient this worker centres with in the current epoch.
     *
     * @param worker worker id
     * @return a heap copy, or null before the first observation
     */
    public double[] mean(int worker) {
        checkWorker(worker);
        VectorBuffer m = state[worker].mean;
        return m == null ? null : m.toDoubleArray();
    }

    @Override
    protected void writeState(DataOutputStream out) throws IOException {
        for (Worker s : state) {
            s.next.write(out);
            s.balancer.write(out);
            out.writeInt(s.counted);
            out.writeBoolean(s.mean != null);
            if (s.mean != null) {
                s.mean.write(out);
                s.nextSum.write(out);
            }
        }
    }

    @Override
    protected Runnable readState(StateReader in, Restored r) throws IOException {
        Runnable[] apply = new Runnable[state.length];
        for (int w = 0; w < state.length; w++) {
            Worker s = state[w];
            String who = "worker " + w;
            int steps = r.steps()[w];
            OrderBuilder next = OrderBuilder.read(in, who, r.orders()[w], steps);
            Runnable balancer = s.balancer.read(in, r.prototype(), who);
            int counted = in.readInt(who + " gradients counted into the next mean", 0, steps);
            boolean vectors = in.readBoolean(who + " mean present");
            if (vectors != (r.prototype() != null)) {
                throw in.corrupt(who + (vectors ? " has a mean, but no input is recorded" : " has no mean, but an input is recorded"));
            }
            VectorBuffer mean = vectors ? r.prototype().readCopy(in, who + " mean") : null;
            VectorBuffer nextSum = vectors ? r.prototype().readCopy(in, who + " sum for the next mean") : null;
            apply[w] = () -> {
                s.next = next;
                balancer.run();
                s.counted = counted;
                s.mean = mean;
                s.nextSum = nextSum;
            };
        }
        return () -> {
            for (Runnable a : apply) {
                a.run();
            }
        };
    }
}
