package org.dgrab.dl4j.iterator;

import java.util.ArrayList;
import java.util.List;

/** {@link BatchPlan#joined}: every served batch holds the next units of every worker. */
final class JoinedPlan implements BatchPlan {
    private final int[] units;
    private final int per;
    private final int batches;

    JoinedPlan(int[] units, int per) {
        this.units = units.clone();
        this.per = per;
        int max = 0;
        for (int m : units) {
            max = Math.max(max, BatchPlan.steps(m, per));
        }
        this.batches = max;
    }

    @Override
    public int batches() {
        return batches;
    }

    @Override
    public Slice[] slices(int batch) {
        List<Slice> out = new ArrayList<>(units.length);
        int from = batch * per;
        for (int w = 0; w < units.length; w++) {
            if (from < units[w]) {
                out.add(new Slice(w, from, Math.min(from + per, units[w])));
            }
        }
        return out.toArray(new Slice[0]);
    }

    @Override
    public int trainedBefore(int batch) {
        return batch;
    }
}
