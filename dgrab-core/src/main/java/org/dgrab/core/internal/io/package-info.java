/**
 * Internal, no compatibility promise. Crash-safe files: {@link org.dgrab.core.internal.io.AtomicFiles} writes every checkpoint and result file of dgrab to a
 * temporary beside its target, forces it to the disk and renames it into place.
 */
package org.dgrab.core.internal.io;
