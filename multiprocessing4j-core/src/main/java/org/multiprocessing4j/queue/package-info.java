/**
 * Queues across processes (Python's {@code Queue}, {@code SimpleQueue}, {@code JoinableQueue}): items travel through
 * shared memory, with no feeder thread, so a process that put items can end before anyone takes them. Start from
 * {@link org.multiprocessing4j.queue.ProcessQueue}, a {@link java.util.concurrent.BlockingQueue}.
 */
package org.multiprocessing4j.queue;
