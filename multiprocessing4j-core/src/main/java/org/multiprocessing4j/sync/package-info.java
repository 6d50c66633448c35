/**
 * Synchronization across processes (Python's {@code Lock}, {@code RLock}, {@code Semaphore},
 * {@code BoundedSemaphore}, {@code Condition}, {@code Event}, {@code Barrier}) with the interfaces and method names
 * of {@code java.util.concurrent}. Every type lives in shared memory, works between any number of processes, and
 * may be captured by a child's target. Each documents its cross-process visibility, what happens if a participating
 * process dies, and its fairness. Start from {@link org.multiprocessing4j.sync.ProcessLock}.
 */
package org.multiprocessing4j.sync;
