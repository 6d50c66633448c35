/**
 * Functional interfaces for tasks that cross a process boundary. Each extends {@link java.io.Serializable}, so a
 * lambda assigned to one is compiled as a serializable lambda and can be sent to a child JVM with the values it
 * captures. Start from {@link org.multiprocessing4j.function.SerializableRunnable}.
 */
package org.multiprocessing4j.function;
