/**
 * Waiting across processes: spin briefly, then park; wake-ups travel through a per-process {@code Doorbell}
 * socket, announced waiters live in a {@code WaitQueue} in shared memory. Start from
 * {@link org.multiprocessing4j.internal.wait.WaitQueue}.
 */
package org.multiprocessing4j.internal.wait;
