/**
 * Waiting across processes: spin briefly, then block; announced waiters live in a {@code WaitQueue} in shared
 * memory, and a waker wakes a blocked one in one hop through the waiter's own {@code ThreadBell} socket (or, for
 * threads beyond the per-process limit, through the process's {@code Doorbell}). Start from
 * {@link org.multiprocessing4j.internal.wait.WaitQueue}.
 */
package org.multiprocessing4j.internal.wait;
