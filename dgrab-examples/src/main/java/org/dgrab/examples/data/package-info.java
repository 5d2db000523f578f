/**
 * Loaders for the examples' data sets: Fashion-MNIST (IDX) and CIFAR-10 (official binary version).
 */
package org.dgrab.examples.data;
