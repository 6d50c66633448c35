/**
 * The parent's side of a process pool: the engine that queues, dispatches, times out and cancels tasks and
 * replaces workers; the listener with one reader thread per worker; futures, map jobs and lazy iterators. The
 * workers' side is in {@code internal.pool.worker}, the protocol in {@code internal.pool.protocol}. Start from
 * {@link org.multiprocessing4j.internal.pool.PoolEngine}.
 */
package org.multiprocessing4j.internal.pool;
