package org.multiprocessing4j.function;

import java.io.Serializable;

/**
 * A task without a result that can be sent to another process: a lambda or method reference assigned to this type
 * is serializable, and the values it captures travel with it.
 */
@FunctionalInterface
public interface SerializableRunnable extends Serializable {
    /**
     * Runs the task.
     *
     * @throws Exception anything the task throws; in a child process an uncaught exception ends it with exit code 1
     */
    void run() throws Exception;
}
