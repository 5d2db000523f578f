package org.dgrab.dl4j.internal.gradient;

/**
 * Where the unit gradients of a {@link WorkerStep} go: to an ordering ({@link To}), or nowhere ({@link #NONE}) when
 * the ordering ignores gradients (D-RR, shuffle-once, fixed), in which case a {@link GradientSource} does no per-unit
 * work at all. A type of its own rather than a null sink, so that "feeds no ordering" is a value a step is built
 * with and asked about, not an absence that every reader must remember to check.
 */
public sealed interface UnitTarget {
    /** The step feeds no ordering: only the summed gradient is computed. */
    UnitTarget NONE = new None();

    /**
     * @param sink receives each unit's gradient
     * @return the target that hands unit gradients to {@code sink}
     * @throws IllegalArgumentException if {@code sink} is null
     */
    static UnitTarget to(UnitSink sink) {
        return new To(sink);
    }

    /** No ordering reads this step's unit gradients. Use {@link #NONE}. */
    record None() implements UnitTarget {
    }

    /**
     * Unit gradients go to a sink.
     *
     * @param sink receives each unit's gradient, not null
     */
    record To(UnitSink sink) implements UnitTarget {
        /** @throws IllegalArgumentException if {@code sink} is null (a step that feeds nothing is {@link #NONE}) */
        public To {
            if (sink == null) {
                throw new IllegalArgumentException("a unit sink is null; a step that feeds no ordering takes "
                        + "UnitTarget.NONE");
            }
        }
    }
}
