/**
 * The programs of the seed tutorial on Python's {@code multiprocessing}, and the examples of Python's own
 * documentation for queues, pipes, locks, shared values, managers and pools, in Java: each class has a {@code main}
 * and prints what its Python original prints. Start from {@link org.multiprocessing4j.examples.RunAll}, the main
 * class of the runnable jar ({@code java -jar multiprocessing4j-examples.jar [NAME]}).
 *
 * <p>Conventions: a child's task is a lambda that calls a static method and captures only values (an interval, a queue, a pipe end, a lock),
 * so it serializes without dragging an enclosing object along; every example joins its children before
 * {@code main} returns, so that {@code RunAll} can run the next one.
 */
package org.multiprocessing4j.examples;
