package org.dgrab.dl4j.iterator;

/** {@link BatchPlan#roundRobin}: one worker's batch at a time, workers in turn, as ParallelWrapper deals them. */
final class RoundRobinPlan implements BatchPlan {
    private final int[] units;
    private final int per;
    /** Per served batch: worker and step. */
    private final int[] worker;
    private final int[] step;
    /** Per served batch: index of the first batch of its round. */
    private final int[] roundStart;

    RoundRobinPlan(int[] units, int per) {
        this.units = units.clone();
        this.per = per;
        int n = units.length;
        int total = 0;
        for (int w = 0; w < n; w++) {
            if (w > 0 && units[w] > units[w - 1]) {
                throw new IllegalArgumentException("round-robin serving needs shards that do not grow with the worker id; "
                        + "worker " + w + " has " + units[w] + " units, worker " + (w - 1) + " has " + units[w - 1]);
            }
            total += BatchPlan.steps(units[w], per);
        }
        worker = new int[total];
        step = new int[total];
        roundStart = new int[total];
        int j = 0;
        for (int s = 0; j < total; s++) {
            int start = j;
            for (int w = 0; w < n; w++) {
                if (s < BatchPlan.steps(units[w], per)) {
                    worker[j] = w;
                    step[j] = s;
                    roundStart[j] = start;
                    j++;
                }
            }
        }
    }

    @Override
    public int batches() {
        return worker.length;
    }

    @Override
    public Slice[] slices(int batch) {
        int w = worker[batch];
        int from = step[batch] * per;
        return new Slice[] {new Slice(w, from, Math.min(from + per, units[w]))};
    }

    @Override
    public int trainedBefore(int batch) {
        return roundStart[batch];
    }
}
