package org.multiprocessing4j.internal.pool;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * The future of a pool task: a {@link CompletableFuture} whose {@code cancel(true)} kills the worker running the
 * task, and whose {@code cancel(false)} drops a task that has not started. {@code get} spins briefly before it
 * parks, since a short task's result arrives within microseconds.
 *
 * @param <T> the value type
 */
public final class TaskFuture<T> extends CompletableFuture<T> {
    private static final long SPIN_NANOS = 30_000;

    private volatile BiConsumer<TaskFuture<T>, Boolean> onCancel;

    void onCancel(BiConsumer<TaskFuture<T>, Boolean> hook) {
        this.onCancel = hook;
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
        long until = System.nanoTime() + SPIN_NANOS;
        while (!isDone() && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
