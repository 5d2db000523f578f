/**
 * The drop-in iterator: {@link org.dgrab.dl4j.iterator.OrderedDataSetIterator} wraps any {@code DataSetIterator}
 * so that {@code net.fit(iterator, epochs)} trains in gradient-balanced order.
 */
package org.dgrab.dl4j.iterator;
