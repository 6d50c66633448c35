package org.multiprocessing4j.internal.pool;

import java.util.HashSet;
import java.util.Set;

/** A function of a map call, sent once to each worker that runs one of its chunks (guarded by the engine). */
final class FunctionDef {
    final int id;
    final byte[] bytes;
    /** The workers that have it defined. */
    final Set<WorkerConn> definedOn = new HashSet<>();
    /** The recent average time of its chunks in the workers, or -1 before the first. */
    long averageNanos = -1;
    /** How many unanswered chunks a worker may have (Dispatcher.depthFor the average). */
    int depth = Dispatcher.UNMEASURED_DEPTH;

    FunctionDef(int id, byte[] bytes) {
        this.id = id;
        this.bytes = bytes;
    }
}
