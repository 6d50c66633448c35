/**
 * The shared-memory side of the queues of {@code org.multiprocessing4j.queue}: a ring of byte records under two
 * robust cross-process locks, with waits on the doorbell, a chain of spill segments beyond the ring when it is full
 * ({@code SpillChain}), and large items in segments of their own. Items are encoded by the public layer; this
 * package moves bytes. Start from {@link org.multiprocessing4j.internal.queue.ItemRing}, then its two sides,
 * {@code PutSide} and {@code TakeSide}.
 */
package org.multiprocessing4j.internal.queue;
