/**
 * Inside a pool worker's JVM: connecting to the pool, the initializer, and the task loop. Start from
 * {@link org.multiprocessing4j.internal.pool.worker.WorkerLoop}.
 */
package org.multiprocessing4j.internal.pool.worker;
