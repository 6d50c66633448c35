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
    private List<TaskRecord> records = List.of();
    private List<Object>[] results;
    private int remaining;

    MapJob(PoolEngine engine, FunctionDef function, long total, Consumer<Progress> listener) {
        this.engine = engine;
        this.function = function;
        this.progress = listener == null ? null : new ProgressTracker(listener, total);
    }

    TaskFuture<List<R>> future() {
        return future;
    }

    @SuppressWarnings("unchecked")
    void start(List<TaskRecord> chunks) {
        synchronized (this) {
            this.records = chunks;
            this.results = new List[chunks.size()];
            this.remaining = chunks.size();
        }
        future.onCancel((f, interrupt) -> {
            for (TaskRecord t : chunks) {
                engine.cancel(t, interrupt);
            }
            engine.release(function);
        });
        if (chunks.isEmpty()) {
            finish();
            return;
        }
        try {
            engine.submit(chunks);
        } catch (RuntimeException e) {
            engine.release(function);
            throw e;
        }
    }

    Outcome outcome(int index, long from, List<Object> values) {
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
                Throwable e = item >= 0 ? RemoteErrors.forItem(error, from + item, values.get(item)) : error;
                if (future.completeExceptionally(e)) {
                    for (TaskRecord t : records) {
                        engine.cancel(t, false);
                    }
                    engine.release(function);
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
        engine.release(function);
        if (progress != null) {
            progress.finish();
        }
        future.complete(all);
    }
}
