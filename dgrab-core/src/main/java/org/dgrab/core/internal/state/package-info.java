/**
 * Internal, no compatibility promise. The versioned binary format of ordering checkpoints ({@link org.dgrab.core.OrderingStrategy#save} and
 * {@link org.dgrab.core.OrderingStrategy#restore}).
 */
package org.dgrab.core.internal.state;
