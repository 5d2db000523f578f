/**
 * One class per ordering, all behind {@link org.dgrab.core.OrderingStrategy} and built by
 * {@link org.dgrab.core.OrderingConfig#create(int...)}: {@link org.dgrab.core.strategy.RandomReshuffling} (RR,
 * D-RR), {@link org.dgrab.core.strategy.ShuffleOnce}, {@link org.dgrab.core.strategy.FixedOrder},
 * {@link org.dgrab.core.strategy.MeanBalance} (GraB, ID-GraB mean), {@link org.dgrab.core.strategy.PairBalance}
 * (PairBalance, ID-GraB pair) and {@link org.dgrab.core.strategy.CoordinatedPairBalance} (CD-GraB). The template
 * {@link org.dgrab.core.strategy.AbstractOrderingStrategy} holds everything they share;
 * {@link org.dgrab.core.strategy.ForwardingOrderingStrategy} is the base of decorators that watch a strategy
 * (timers, herding measurements, benchmark floors) from outside the algorithm.
 */
package org.dgrab.core.strategy;
