package org.multiprocessing4j.internal.pool;

import org.multiprocessing4j.internal.pool.protocol.PoolMessage;

/**
 * One unit of work of a pool: a callable (apply, submit) or a chunk of a map call. Its mutable fields are guarded
 * by the engine's lock.
 *
 * <pre>
 * state      | worker | settled | meaning
 * QUEUED     | null   | false   | in the engine's queue
 * SENT       | w      | false   | in w's outstanding list; the oldest there is running
 * SETTLED    | any    | true    | its outcome was delivered (result, failure, cancel, time-out); a late reply is ignored
 * </pre>
 */
final class TaskRecord {
    final long id;
    /** "apply", "submit", "chunk": with the id and {@link #detail}, the task's description, made only if needed. */
    private final String kind;
    /** A callable's class name, or a chunk's first item index and item count. */
    private final Object detail;
    final byte[] callable;
    final FunctionDef function;
    final boolean spread;
    final byte[] items;
    final long timeoutNanos;
    final Outcome outcome;

    /** Written under the engine's lock; read without it by a caller that helps read its result. */
    volatile WorkerConn worker;
    boolean settled;

    private TaskRecord(long id, String kind, Object detail, byte[] callable, FunctionDef function, boolean spread,
                       byte[] items, long timeoutNanos, Outcome outcome) {
        this.id = id;
        this.kind = kind;
        this.detail = detail;
        this.callable = callable;
        this.function = function;
        this.spread = spread;
        this.items = items;
        this.timeoutNanos = timeoutNanos;
        this.outcome = outcome;
    }

    static TaskRecord call(long id, String kind, Class<?> type, byte[] callable, long timeoutNanos, Outcome outcome) {
        return new TaskRecord(id, kind, type, callable, null, false, null, timeoutNanos, outcome);
    }

    static TaskRecord chunk(long id, long from, int count, FunctionDef function, boolean spread, byte[] items,
                            Outcome outcome) {
        return new TaskRecord(id, "chunk", new long[] {from, count}, null, function, spread, items, 0, outcome);
    }

    /**
     * Hands a worker's reply to whoever waits for this task; outside the engine's lock, once the task is settled.
     *
     * @param reply the worker's answer to this task
     */
    void deliver(PoolMessage.Reply reply) {
        if (reply instanceof PoolMessage.Result) {
            outcome.succeeded(((PoolMessage.Result) reply).value());
        } else if (reply instanceof PoolMessage.Failure) {
            PoolMessage.Failure f = (PoolMessage.Failure) reply;
            outcome.failed(RemoteErrors.decode(f.error()), f.item());
        } else {
            outcome.cancelled();
        }
    }

    PoolMessage message() {
        return callable != null ? new PoolMessage.Call(id, callable)
                : new PoolMessage.Chunk(id, function.id, spread, items);
    }

    /** @return what the task is, for messages: {@code apply#12 (Tasks$$Lambda$42)}, {@code chunk#7 (items 0..99)} */
    String description() {
        if (detail instanceof Class) {
            return kind + "#" + id + " (" + ((Class<?>) detail).getName() + ")";
        }
        long[] range = (long[]) detail;
        return kind + "#" + id + " (items " + range[0] + ".." + (range[0] + range[1] - 1) + ")";
    }

    @Override
    public String toString() {
        return description();
    }
}
