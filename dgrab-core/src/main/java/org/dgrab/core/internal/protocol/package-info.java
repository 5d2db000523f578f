/**
 * Internal, no compatibility promise. The coordinated ordering protocol of CD-GraB. Each {@link org.dgrab.core.internal.protocol.OrderingWorker} reports one
 * pair difference per pair-step; the single {@link org.dgrab.core.internal.protocol.Coordinator} balances all workers'
 * differences in canonical order (pair-step, then worker id) against one running sum, whatever order they arrive
 * in, and answers each worker with its signs at the end of the epoch; each worker then builds its own next order.
 * A {@link org.dgrab.core.internal.protocol.Transport} carries the messages; {@link org.dgrab.core.internal.protocol.InProcessTransport}
 * serves threads of one JVM, and a network transport can be added without touching the maths.
 */
package org.dgrab.core.internal.protocol;
