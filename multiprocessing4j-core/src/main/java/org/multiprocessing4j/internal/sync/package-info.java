/**
 * The mechanisms behind the public {@code sync} and {@code shared} types, each on a region of a shared-memory
 * segment: a robust mutex, a counting semaphore, an event flag, a barrier and a condition queue, all waiting
 * through {@link org.multiprocessing4j.internal.wait.WaitQueue}. Start from
 * {@link org.multiprocessing4j.internal.sync.Mutex}.
 */
package org.multiprocessing4j.internal.sync;
