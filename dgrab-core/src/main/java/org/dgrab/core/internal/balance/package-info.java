/**
 * Internal, no compatibility promise. Balancing maths: preallocated in-place vectors ({@link VectorBuffer}) on
 * ND4J or plain arrays, the herding kernel ({@link Balancer}), the rule that turns signs into an order
 * ({@link OrderBuilder}) and gradient sketches ({@link CountSketch}). Nothing here knows about epochs, workers or
 * orders.
 */
package org.dgrab.core.internal.balance;
