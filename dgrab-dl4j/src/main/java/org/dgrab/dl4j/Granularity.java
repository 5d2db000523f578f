package org.dgrab.dl4j;

import java.util.Locale;

/**
 * What one ordered unit is, and where its gradient comes from.
 */
public enum Granularity {
    /**
     * The unit is a fixed mini-batch; its gradient is the model's own mini-batch gradient, captured after the
     * backward pass and before the updater changes it. Zero extra compute. Every ordering (D-RR included) then
     * permutes the same fixed mini-batches, so comparisons isolate the ordering.
     */
    BATCH("batch"),
    /**
     * The unit is an example (or a fixed micro-batch of examples); gradients are computed explicitly per unit and
     * the mini-batch update uses their sum, so the model trains exactly as with the whole batch. Costs one
     * backward pass per unit.
     */
    EXAMPLE_EXACT("example-exact"),
    /**
     * The unit is an example; its gradient is the exact per-example gradient of the output layer's parameters,
     * {@code (dL/dz) ⊗ [h, 1]}, derived from the forward pass of the normal mini-batch step. No extra backward
     * passes.
     */
    EXAMPLE_LAST_LAYER("example-last-layer");

    private final String id;

    Granularity(String id) {
        this.id = id;
    }

    /** @return command-line name */
    public String id() {
        return id;
    }

    /**
     * Parses {@link #id()} (case-insensitive).
     *
     * @param name the name
     * @return the granularity
     * @throws IllegalArgumentException listing the valid names
     */
    public static Granularity parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Granularity g : values()) {
            if (g.id.equals(n)) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown granularity '" + name + "'; valid: batch, example-exact, example-last-layer");
    }
}
