package org.multiprocessing4j.internal.pool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
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
    /** Every result, in order: each chunk's are decoded straight to their place, the list the caller gets. */
    private final MapResults<R> results;
    private final int chunk;
    private int remaining;
    private boolean released;

    /**
     * @param chunk the chunk size: chunk k holds the items from k * chunk on
     */
    MapJob(PoolEngine engine, FunctionDef function, int total, int chunk, boolean spread,
           Consumer<Progress> listener) {
        this.engine = engine;
        this.function = function;
        this.spread = spread;
        this.progress = listener == null ? null : new ProgressTracker(listener, total);
        this.results = new MapResults<>(total, chunk);
        this.chunk = chunk;
        this.remaining = total == 0 ? 0 : (total - 1) / chunk + 1;
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
            empty = remaining == 0;
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

    /**
     * @param from the index of the chunk's first item
     * @param count how many items it holds
     * @param sent the chunk's encoded items, to name an item that failed
     */
    Outcome outcome(int from, int count, byte[] sent) {
        return new Outcome() {
            @Override
            public void succeeded(byte[] value) {
                try {
                    // each chunk writes its own slots; the lock below publishes them to finish()
                    results.fill(from / chunk, value, loader);
                } catch (IOException | RuntimeException | LinkageError e) {
                    failed(new IllegalStateException("the results of a map chunk could not be decoded in this "
                            + "process: " + e, e), -1);
                    return;
                }
                boolean last;
                synchronized (MapJob.this) {
                    last = --remaining == 0;
                }
                if (progress != null) {
                    progress.add(count);
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

    /**
     * Hands the list out; called by the thread whose count-down reached 0, after every chunk's fill happened
     * before its own count-down under this object's lock, so the list is complete as the caller sees it.
     */
    private void finish() {
        release();
        if (progress != null) {
            progress.finish();
        }
        future.complete(results);
    }
}
