package org.multiprocessing4j.internal.pool;

import java.io.IOException;
import java.io.NotSerializableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.multiprocessing4j.function.SerializableCallable;
import org.multiprocessing4j.internal.codec.JdkCodec;
import org.multiprocessing4j.internal.pool.protocol.Items;
import org.multiprocessing4j.internal.pool.protocol.LambdaCodec;
import org.multiprocessing4j.pool.Progress;

/**
 * Turns the calls of {@code ProcessPool} into tasks for the engine: encodes callables and functions in the
 * caller's thread (so a value that cannot be serialized fails there, naming its class), cuts map inputs into
 * chunks, and makes the futures and iterators the caller gets.
 */
public final class PoolTasks {
    /** At most this many chunks of a map go to the engine in one submission. */
    private static final int SUBMIT_BATCH = 64;
    /** A batch of chunks is submitted once it holds this many items, so that big chunks go one by one. */
    private static final int SUBMIT_BATCH_ITEMS = 256;

    private final PoolEngine engine;

    /** @param engine the engine the tasks go to */
    public PoolTasks(PoolEngine engine) {
        this.engine = engine;
    }

    /**
     * Submits a callable.
     *
     * @param callable the task
     * @param timeoutNanos its time-out once running, or 0
     * @param kind the API call, for descriptions ("apply", "submit")
     * @return its future
     * @throws NullPointerException if {@code callable} is null
     * @throws IllegalArgumentException if the callable cannot be serialized
     * @throws java.util.concurrent.RejectedExecutionException if the pool was shut down
     */
    public <T> TaskFuture<T> call(SerializableCallable<T> callable, long timeoutNanos, String kind) {
        Objects.requireNonNull(callable, "task");
        byte[] bytes = encode(callable, "task");
        TaskFuture<T> future = new TaskFuture<>();
        long id = engine.nextTaskId();
        ClassLoader loader = PoolEngine.loader();
        TaskRecord record = TaskRecord.call(id, kind, callable.getClass(), bytes, timeoutNanos, new Outcome() {
            @Override
            @SuppressWarnings("unchecked")
            public void succeeded(byte[] value) {
                try {
                    future.complete((T) JdkCodec.INSTANCE.decode(value, loader));
                } catch (IOException | RuntimeException | LinkageError e) {
                    future.completeExceptionally(new IllegalStateException("the result of " + kind + "#" + id
                            + " could not be decoded in this process: " + e, e));
                }
            }

            @Override
            public void failed(Throwable error, int item) {
                future.completeExceptionally(error);
            }

            @Override
            public void cancelled() {
                future.cancel(false);
            }
        });
        future.onCancel((f, interrupt) -> engine.cancel(record, interrupt));
        future.helpWith(engine, record);
        engine.submit(List.of(record));
        return future;
    }

    /**
     * Submits a map call: the items in chunks, the function sent once to each worker.
     *
     * @param function a {@code SerializableFunction}, or a {@code SerializableBiFunction} when {@code spread}
     * @param items the items; for {@code spread}, {@code Map.Entry} values
     * @param chunksize items per chunk, or 0 for the default
     * @param spread whether each item is an entry whose key and value are the function's two arguments
     * @param progress a listener, or {@code null}
     * @return the future of all results, in order
     * @throws IllegalArgumentException if {@code chunksize} is negative, or the function or an item cannot be
     *     serialized
     * @throws NullPointerException if {@code function} or {@code items} is null
     */
    public <R> TaskFuture<List<R>> map(Object function, Iterable<?> items, int chunksize, boolean spread,
                                       Consumer<Progress> progress) {
        checkArguments(function, items, chunksize);
        List<?> list;
        if (items instanceof List && items instanceof java.util.RandomAccess) {
            list = (List<?>) items;
        } else {
            List<Object> copy = items instanceof Collection ? new ArrayList<>(((Collection<?>) items).size())
                    : new ArrayList<>();
            for (Object item : items) {
                copy.add(item);
            }
            list = copy;
        }
        int total = list.size();
        int size = chunksize > 0 ? chunksize : defaultChunksize(total, engine.processes());
        FunctionDef def = engine.define(encode(function, "function"));
        MapJob<R> job = new MapJob<>(engine, def, total, size, spread, progress);
        try {
            // the first chunk alone, so the workers start on it while the next are encoded; then small chunks in
            // batches (one pass through the engine's lock for many), big ones one by one
            List<TaskRecord> batch = new ArrayList<>();
            int batchItems = 0;
            for (int from = 0, index = 0; from < total && !job.future().isDone(); from += size, index++) {
                int f = from;
                int n = Math.min(total, from + size) - from;
                batch.add(chunkRecord(def, list.subList(from, from + n), from, spread,
                        bytes -> job.outcome(f, n, bytes)));
                batchItems += size;
                if (index == 0 || batch.size() >= SUBMIT_BATCH || batchItems >= SUBMIT_BATCH_ITEMS) {
                    job.submit(batch);
                    batch = new ArrayList<>();
                    batchItems = 0;
                }
            }
            if (!batch.isEmpty() && !job.future().isDone()) {
                job.submit(batch);
            }
        } catch (RuntimeException e) {
            job.future().cancel(false);
            throw e;
        }
        job.submitted();
        return job.future();
    }

    /**
     * Starts a lazy map: items are read from the input as results are consumed, at most a window of chunks ahead.
     *
     * @return the iterator of results
     * @throws IllegalArgumentException if {@code chunksize} is negative, or the function cannot be serialized
     * @throws NullPointerException if {@code function} or {@code items} is null
     */
    public <R> Iterator<R> imap(Object function, Iterable<?> items, int chunksize, boolean spread, boolean ordered,
                                Consumer<Progress> progress) {
        checkArguments(function, items, chunksize);
        FunctionDef def = engine.define(encode(function, "function"));
        long total = items instanceof java.util.Collection ? ((java.util.Collection<?>) items).size() : -1;
        return new ImapIterator<>(this, def, items.iterator(), Math.max(1, chunksize), spread, ordered,
                Math.max(16, 8 * engine.processes()), total, progress);
    }

    PoolEngine engine() {
        return engine;
    }

    TaskRecord chunkRecord(FunctionDef def, List<?> chunk, long from, boolean spread,
                           java.util.function.Function<byte[], Outcome> outcome) {
        List<?> wire = chunk;
        if (spread) {
            List<Object> pairs = new ArrayList<>(chunk.size() * 2);
            wire = pairs;
            for (Object o : chunk) {
                if (!(o instanceof Map.Entry)) {
                    throw new IllegalArgumentException("starmap items are Map.Entry values: item index=" + from
                            + " class=" + (o == null ? "null" : o.getClass().getName()));
                }
                pairs.add(((Map.Entry<?, ?>) o).getKey());
                pairs.add(((Map.Entry<?, ?>) o).getValue());
            }
        }
        byte[] bytes;
        try {
            bytes = Items.encode(wire);
        } catch (NotSerializableException e) {
            throw notSerializable("an item", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("map items cannot be serialized: " + e, e);
        }
        long id = engine.nextTaskId();
        return TaskRecord.chunk(id, from, chunk.size(), def, spread, bytes, outcome.apply(bytes));
    }

    /**
     * The item of a chunk that failed, decoded again from what was sent (the caller's list may have changed).
     *
     * @param bytes the chunk's encoded items
     * @param item the index in the chunk
     * @param spread whether the items are pairs
     * @return the item, or a note that it cannot be shown
     */
    static Object itemOf(byte[] bytes, int item, boolean spread) {
        try {
            List<Object> items = Items.decode(bytes, PoolEngine.loader());
            return spread ? items.get(2 * item) + ", " + items.get(2 * item + 1) : items.get(item);
        } catch (IOException | RuntimeException e) {
            return "(cannot be shown: " + e + ")";
        }
    }

    /**
     * Python's default: {@code len / (4 * processes)}, rounded up. Big chunks cost nothing here, since a chunk of
     * numbers travels as a primitive array; the factor 4 keeps the load balanced.
     */
    static int defaultChunksize(int items, int processes) {
        int n = 4 * processes;
        return Math.max(1, items / n + (items % n == 0 ? 0 : 1));
    }

    /**
     * @param timeout a task's time-out
     * @return it in nanoseconds
     * @throws IllegalArgumentException if it is not positive
     */
    public static long timeoutNanos(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("time-out must be positive: timeout=" + timeout);
        }
        return timeout.toNanos();
    }

    private static void checkArguments(Object function, Iterable<?> items, int chunksize) {
        if (chunksize < 0) {
            throw new IllegalArgumentException("chunksize must not be negative: chunksize=" + chunksize);
        }
        Objects.requireNonNull(function, "fn");
        Objects.requireNonNull(items, "items");
    }

    static byte[] encode(Object value, String what) {
        try {
            return LambdaCodec.encode(value);
        } catch (NotSerializableException e) {
            throw notSerializable("the " + what, e);
        } catch (IOException e) {
            throw new IllegalArgumentException("the " + what + " cannot be serialized: " + e, e);
        }
    }

    private static IllegalArgumentException notSerializable(String what, NotSerializableException e) {
        return new IllegalArgumentException(what + " cannot be sent to a worker process: class " + e.getMessage()
                + " is not serializable (make it implement java.io.Serializable, mark the field transient, or avoid"
                + " capturing it; a lambda that uses an instance field or method captures 'this')", e);
    }
}
