/**
 * The protocol between a process pool and its workers, used by both sides: the authenticated, batching
 * {@link org.multiprocessing4j.internal.pool.protocol.PoolChannel}, its messages (a sealed interface of records) and
 * the compact encoding of map chunks. Start from {@link org.multiprocessing4j.internal.pool.protocol.PoolMessage}.
 */
package org.multiprocessing4j.internal.pool.protocol;
