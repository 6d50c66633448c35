/**
 * Pools of worker processes: Python's {@code multiprocessing.Pool} and {@code ProcessPoolExecutor}, as an
 * {@link java.util.concurrent.ExecutorService} that survives worker crashes, time-outs and cancels. Start from
 * {@link org.multiprocessing4j.pool.ProcessPool}.
 */
package org.multiprocessing4j.pool;
