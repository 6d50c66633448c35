package org.multiprocessing4j.internal.pool;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code ExecutorService.invokeAll} and {@code invokeAny} over the futures of tasks already submitted to a pool:
 * waiting for all (or the first success), and cancelling what is left, which kills the workers of tasks still
 * running.
 */
public final class Invocations {
    private Invocations() {
    }

    /**
     * Waits until every future is done; on an interrupt, cancels them all.
     *
     * @param futures the submitted tasks' futures
     * @return {@code futures}
     * @throws InterruptedException if interrupted while waiting (every task is cancelled)
     */
    public static <T> List<Future<T>> all(List<Future<T>> futures) throws InterruptedException {
        try {
            for (Future<T> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException | CancellationException e) {
                    // reported by the future
                }
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
        return futures;
    }

    /**
     * Waits until every future is done or the deadline passes; then cancels those not done.
     *
     * @param futures the submitted tasks' futures
     * @param deadline a {@link System#nanoTime()} value
     * @return {@code futures}
     * @throws InterruptedException if interrupted while waiting (the tasks not done are cancelled)
     */
    public static <T> List<Future<T>> allUntil(List<Future<T>> futures, long deadline) throws InterruptedException {
        try {
            for (Future<T> f : futures) {
                long left = deadline - System.nanoTime();
                try {
                    f.get(Math.max(0, left), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | CancellationException e) {
                    // reported by the future
                } catch (TimeoutException e) {
                    break;
                }
            }
        } finally {
            for (Future<T> f : futures) {
                if (!f.isDone()) {
                    f.cancel(true);
                }
            }
        }
        return futures;
    }

    /**
     * Returns the first result of a task that succeeds; then cancels every task.
     *
     * @param futures the submitted tasks' futures, {@link CompletableFuture}s, not empty
     * @param timeout the longest wait; {@code Long.MAX_VALUE} nanoseconds for no limit
     * @param unit its unit
     * @return the first successful result
     * @throws ExecutionException with the last failure if every task failed
     * @throws TimeoutException if none succeeded in time
     * @throws InterruptedException if interrupted while waiting
     */
    public static <T> T any(List<Future<T>> futures, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture<T> first = new CompletableFuture<>();
        int[] failures = {0};
        for (Future<T> f : futures) {
            ((CompletableFuture<T>) f).whenComplete((v, x) -> {
                if (x == null) {
                    first.complete(v);
                } else {
                    synchronized (failures) {
                        if (++failures[0] == futures.size()) {
                            first.completeExceptionally(x);
                        }
                    }
                }
            });
        }
        try {
            return unit.toNanos(timeout) == Long.MAX_VALUE ? first.get() : first.get(timeout, unit);
        } finally {
            for (Future<T> f : futures) {
                f.cancel(true);
            }
        }
    }
}
