/**
 * Core contracts of dgrab: {@link org.dgrab.core.OrderingStrategy} (the per-epoch order of every worker's units),
 * its immutable {@link org.dgrab.core.OrderingConfig}, and the policy for bad gradients.
 *
 * <p>Sub-packages: {@code balance} (vector maths and sign rules), {@code strategy} (one class per ordering),
 * {@code protocol} (coordinator, worker and transport of CD-GraB), {@code diagnostics} (herding bounds and the
 * random-vector simulation), {@code random} (checkpointable randomness), {@code state} (checkpoint format).
 */
package org.dgrab.core;
