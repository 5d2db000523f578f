/**
 * One class per ordering, all behind {@link org.dgrab.core.OrderingStrategy} and built by
 * {@link org.dgrab.core.OrderingConfig#create(int...)}: {@link org.dgrab.core.strategy.RandomReshuffling} (RR,
 * D-RR), {@link org.dgrab.core.strategy.ShuffleOnce}, {@link org.dgrab.core.strategy.FixedOrder},
 * {@link org.dgrab.core.strategy.MeanBalance} (GraB, ID-GraB mean), {@link org.dgrab.core.strategy.PairBalance}
 * (PairBalance, ID-GraB pair) and {@link org.dgrab.core.strategy.CoordinatedPairBalance} (CD-GraB). The template
 * {@link org.dgrab.core.strategy.AbstractOrderingStrategy} holds everything they share.
 */
package org.dgrab.core.strategy;
