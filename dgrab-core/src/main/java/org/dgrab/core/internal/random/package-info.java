/**
 * Internal, no compatibility promise. Checkpointable random numbers and seeded permutations: every random choice dgrab makes comes from here, so that
 * the same seed gives the same orders on any number of threads.
 */
package org.dgrab.core.internal.random;
