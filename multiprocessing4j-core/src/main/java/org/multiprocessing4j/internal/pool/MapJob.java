package org.multiprocessing4j.internal.pool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.multiprocessing4j.internal.pool.protocol.Items;
import org.multiprocessing4j.pool.Progress;

/**
 * One {@code map} call: its chunks' results gathered in order into one future. The first chunk that fails fails
 * the call (naming the item) and cancels the chunks that have not run; cancelling the future cancels them all.
 */
final class MapJob<R> {
    private final PoolEngine engine;
    private final FunctionDef function;
    private final TaskFuture<List<R>> future = new TaskFuture<>();
    private final ProgressTracker progress;
    private final ClassLoader loader = PoolEngine.loader();
    private final boolean spread;
    private final List<TaskRecord> records = new ArrayList<>();
    private final List<Object>[] results;
    private int remaining;
    private boolean released;

    @SuppressWarnings("unchecked")
    MapJob(PoolEngine engine, FunctionDef function, long total, int chunks, boolean spread,
           Consumer<Progress> listener) {
        this.engine = engine;
        this.function = function;
        this.spread = spread;
        this.progress = listener == null ? null : new ProgressTracker(listener, total);
        this.results = (List<Object>[]) new List<?>[chunks];
        this.remaining = chunks;
        future.onCancel((f, interrupt) -> {
            List<TaskRecord> all;
            synchronized (this) {
                all = new ArrayList<>(records);
            }
            for (TaskRecord t : all) {
                engine.cancel(t, interrupt);
            }
            release();
        });
    }

    TaskFuture<List<R>> future() {
        return future;
    }

    /** Submits chunks; chunks are submitted in order. */
    void submit(List<TaskRecord> chunks) {
        synchronized (this) {
            records.addAll(chunks);
        }
        engine.submit(chunks);
    }

    /** Every chunk was submitted (an empty map finishes here). */
    void submitted() {
        boolean empty;
        synchronized (this) {
            empty = results.length == 0;
        }
        if (empty) {
            finish();
        }
    }

    private void release() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        engine.release(function);
    }

    Outcome outcome(int index, long from, byte[] sent) {
        return new Outcome() {
            @Override
            public void succeeded(byte[] value) {
                List<Object> decoded;
                try {
                    decoded = Items.decode(value, loader);
                } catch (IOException | RuntimeException | LinkageError e) {
                    failed(new IllegalStateException("the results of a map chunk could not be decoded in this "
                            + "process: " + e, e), -1);
                    return;
                }
                boolean last;
                synchronized (MapJob.this) {
                    results[index] = decoded;
                    last = --remaining == 0;
                }
                if (progress != null) {
                    progress.add(decoded.size());
                }
                if (last) {
                    finish();
                }
            }

            @Override
            public void failed(Throwable error, int item) {
                Throwable e = item >= 0 ? RemoteErrors.forItem(error, from + item, PoolTasks.itemOf(sent, item, spread))
                        : error;
                if (future.completeExceptionally(e)) {
                    List<TaskRecord> all;
                    synchronized (MapJob.this) {
                        all = new ArrayList<>(records);
                    }
                    for (TaskRecord t : all) {
                        engine.cancel(t, false);
                    }
                    release();
                }
            }

            @Override
            public void cancelled() {
                future.cancel(false);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private void finish() {
        List<R> all;
        synchronized (this) {
            int n = 0;
            for (List<Object> r : results) {
                n += r.size();
            }
            all = new ArrayList<>(n);
            for (List<Object> r : results) {
                all.addAll((List<R>) (List<?>) r);
            }
        }
        release();
        if (progress != null) {
            progress.finish();
        }
        future.complete(all);
    }
}
