package org.dgrab.core.internal.config;

import org.dgrab.core.OrderingConfig;
import org.dgrab.core.internal.state.ConfigIdentity;

/**
 * A configuration's options that affect orders, as the named fields of a {@link ConfigIdentity}: what the trainers'
 * checkpoints (the data-parallel trainer's and Spark's) store and compare field by field. Kept out of
 * {@code OrderingConfig} so that the public configuration names no internal type.
 */
public final class OrderingIdentity {
    private OrderingIdentity() {
    }

    /**
     * The options that affect orders, the same ones a strategy's own checkpoint stores: {@code kind}, {@code seed},
     * {@code signs}, {@code nonFinite}, {@code sketch}, and {@code depth} for
     * {@link OrderingConfig.Kind#CD_GRAB_RECURSIVE} (not the sign timeout, which does not change orders). Checkpoints
     * of the trainers store these with their own fields and refuse a restore field by field.
     *
     * @param config the configuration
     * @return its identity
     */
    public static ConfigIdentity of(OrderingConfig config) {
        ConfigIdentity id = ConfigIdentity.empty().with("kind", config.kind().id()).with("seed", config.seed())
                .with("signs", config.signRule()).with("nonFinite", config.nonFinitePolicy().name())
                .with("sketch", config.sketchDim());
        return config.kind() == OrderingConfig.Kind.CD_GRAB_RECURSIVE ? id.with("depth", config.depth()) : id;
    }
}
