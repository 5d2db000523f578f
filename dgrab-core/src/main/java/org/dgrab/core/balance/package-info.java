/**
 * The sign rule of balancing, {@link org.dgrab.core.balance.SignRule} (deterministic or probabilistic), which
 * {@link org.dgrab.core.OrderingConfig.Builder#optSignRule} takes. The balancing maths itself is internal
 * ({@code org.dgrab.core.internal.balance}).
 */
package org.dgrab.core.balance;
