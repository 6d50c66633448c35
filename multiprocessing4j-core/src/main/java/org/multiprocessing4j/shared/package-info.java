/**
 * Data shared between processes (Python's {@code Value}, {@code Array} and {@code shared_memory}): named memory
 * blocks ({@link org.multiprocessing4j.shared.SharedMemory}) and atomic values and arrays with the method families
 * of {@code java.util.concurrent.atomic}, each with a {@code lock()} for compound updates. Start from
 * {@link org.multiprocessing4j.shared.SharedInt}.
 */
package org.multiprocessing4j.shared;
