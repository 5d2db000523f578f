/**
 * Internal, no compatibility promise. What dgrab's own modules derive from a public
 * {@link org.dgrab.core.OrderingConfig} for their checkpoints. A package of its own because it uses
 * {@code org.dgrab.core}, which uses {@code internal.state}: placed in either of those, it would make a cycle.
 */
package org.dgrab.core.internal.config;
