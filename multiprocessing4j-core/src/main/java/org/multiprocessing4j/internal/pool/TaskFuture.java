package org.multiprocessing4j.internal.pool;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * The future of a pool task: a {@link CompletableFuture} whose {@code cancel(true)} kills the worker running the
 * task, and whose {@code cancel(false)} drops a task that has not started. {@code get} and {@code join} of a
 * task's future first read the worker's replies in the caller's thread for up to HELP_NANOS (a short task's result
 * arrives within microseconds, and a thread hand-off costs more than that), then park.
 *
 * @param <T> the value type
 */
public final class TaskFuture<T> extends CompletableFuture<T> {
    private static final long HELP_NANOS = 500_000;

    private volatile BiConsumer<TaskFuture<T>, Boolean> onCancel;
    private volatile PoolEngine engine;
    private volatile TaskRecord record;

    void onCancel(BiConsumer<TaskFuture<T>, Boolean> hook) {
        this.onCancel = hook;
    }

    /** Lets a waiting caller read its worker's replies itself for a while (see {@link CallerReads}). */
    void helpWith(PoolEngine engine, TaskRecord record) {
        this.engine = engine;
        this.record = record;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        BiConsumer<TaskFuture<T>, Boolean> hook = onCancel;
        if (cancelled && hook != null) {
            hook.accept(this, mayInterruptIfRunning);
        }
        return cancelled;
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        spin();
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        spin();
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        spin();
        return super.join();
    }

    private void spin() {
        PoolEngine e = engine;
        if (e != null && !isDone()) {
            CallerReads.help(e, record, this, HELP_NANOS);
        }
    }
}
