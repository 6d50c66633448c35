/**
 * Processes and the module functions of Python's {@code multiprocessing}: {@link org.multiprocessing4j.ChildProcess}
 * (Python's {@code Process}), {@link org.multiprocessing4j.Multiprocessing} ({@code cpu_count()},
 * {@code active_children()}, {@code current_process()}, start methods), {@link org.multiprocessing4j.Context}.
 * Start from {@link org.multiprocessing4j.ChildProcess}.
 */
package org.multiprocessing4j;
