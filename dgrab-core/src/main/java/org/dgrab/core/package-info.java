/**
 * Core contracts of dgrab: {@link org.dgrab.core.OrderingStrategy} (the per-epoch order of every worker's units),
 * its immutable {@link org.dgrab.core.OrderingConfig}, which creates it, its counters
 * ({@link org.dgrab.core.OrderingStats}) and the policy for bad gradients. The orderings themselves live here as
 * package-private classes over one template ({@code AbstractOrderingStrategy}): {@code RandomReshuffling} (RR,
 * D-RR), {@code ShuffleOnce}, {@code FixedOrder}, {@code MeanBalance} (GraB, ID-GraB mean), {@code PairBalance}
 * (PairBalance, ID-GraB pair), {@code CoordinatedPairBalance} (CD-GraB) and {@code RecursivePairBalance}, so that
 * {@link org.dgrab.core.OrderingConfig#create(int...)} is the only way to build one.
 *
 * <p>Public sub-packages: {@code balance} (the sign rule), {@code strategy} (the base of decorators),
 * {@code diagnostics} (herding bounds, the random-vector simulation, the herding monitor). Packages under
 * {@code org.dgrab.core.internal} ({@code balance}: vector maths; {@code protocol}: coordinator, worker and
 * transport of CD-GraB; {@code random}: checkpointable randomness; {@code state}: checkpoint format; {@code io}:
 * atomic file writes) are public only for dgrab's own modules and carry no compatibility promise.
 */
package org.dgrab.core;
