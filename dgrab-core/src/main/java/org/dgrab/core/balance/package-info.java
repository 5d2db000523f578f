/**
 * Balancing maths: preallocated in-place vectors ({@link org.dgrab.core.balance.VectorBuffer}) on ND4J or plain
 * arrays, sign rules, the herding kernel ({@link org.dgrab.core.balance.Balancer}) and gradient sketches.
 * Nothing here knows about epochs, workers or orders.
 */
package org.dgrab.core.balance;
