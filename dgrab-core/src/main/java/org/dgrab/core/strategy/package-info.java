/**
 * {@link org.dgrab.core.strategy.ForwardingOrderingStrategy}, the base of decorators that watch a strategy (timers,
 * herding measurements, benchmark floors) from outside the algorithm. The orderings themselves are package-private
 * classes of {@code org.dgrab.core}, built only by {@link org.dgrab.core.OrderingConfig#create(int...)}.
 */
package org.dgrab.core.strategy;
