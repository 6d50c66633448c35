/**
 * multiprocessing4j: Python's {@code multiprocessing} on the JVM. Start from
 * {@link org.multiprocessing4j.ChildProcess} and {@link org.multiprocessing4j.Multiprocessing}; locks and the like are in {@code sync}, queues in {@code queue}, shared memory
 * and values in {@code shared}.
 */
module org.multiprocessing4j {
    requires java.management;
    requires jdk.unsupported;

    exports org.multiprocessing4j;
    exports org.multiprocessing4j.function;
    exports org.multiprocessing4j.connection;
    exports org.multiprocessing4j.manager;
    exports org.multiprocessing4j.shared;
    exports org.multiprocessing4j.sync;
    exports org.multiprocessing4j.pool;
    exports org.multiprocessing4j.queue;
}
