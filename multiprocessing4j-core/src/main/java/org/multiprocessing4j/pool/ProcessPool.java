package org.multiprocessing4j.pool;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.function.SerializableBiFunction;
import org.multiprocessing4j.function.SerializableCallable;
import org.multiprocessing4j.function.SerializableFunction;
import org.multiprocessing4j.function.SerializableRunnable;
import org.multiprocessing4j.internal.pool.Invocations;
import org.multiprocessing4j.internal.pool.PoolEngine;
import org.multiprocessing4j.internal.pool.PoolTasks;
import org.multiprocessing4j.internal.pool.RemoteErrors;

/**
 * A pool of worker processes (Python's {@code multiprocessing.Pool} and {@code ProcessPoolExecutor}), usable as an
 * {@link ExecutorService}. Workers are {@link org.multiprocessing4j.ChildProcess}es, started when the pool is made
 * and reused for many tasks; they are daemon children, so none outlives the pool's process.
 *
 * <pre>{@code
 * try (ProcessPool pool = new ProcessPool(4)) {
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));
 *     CompletableFuture<String> f = pool.applyAsync(() -> expensive(), Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <h2>Beyond Python</h2>
 * A worker that dies ({@code kill -9}, {@code Runtime.halt}, {@code OutOfMemoryError}) fails only the task it was
 * running, with {@link WorkerLostException}; the worker is replaced and the pool goes on. A task may have a
 * time-out ({@link #applyAsync(SerializableCallable, Duration)}), and {@code cancel(true)} stops a running task,
 * both by killing its worker. {@link #imap} reads its input lazily. An initializer that fails breaks the pool once
 * ({@link BrokenPoolException}).
 *
 * <h2>Failures</h2>
 * A task's exception reaches the caller with its type, message and the worker's stack trace: inside an
 * {@link ExecutionException} where a {@link Future} is involved; from {@code apply}, {@code map} and the
 * {@code imap} iterators an unchecked exception is rethrown as it is, and a checked one arrives as the cause of a
 * {@link java.util.concurrent.CompletionException}. For a map, a suppressed exception names the item that failed.
 *
 * <h2>Lifecycle</h2>
 * <pre>
 * state       | reached by                          | takes tasks | workers
 * RUNNING     | construction                        | yes         | running, replaced when they end
 * SHUTDOWN    | shutdown()                          | no          | finish the queued tasks, then exit
 * TERMINATING | terminate(), shutdownNow(), broken  | no          | killed; queued and running tasks cancelled
 * TERMINATED  | every worker has ended              | no          | none
 * </pre>
 * {@code close()} is {@code shutdown()} and then waits for termination.
 *
 * <h2>Cross-process visibility</h2>
 * A task, with the values it captures, is serialized when it is submitted (in the submitting thread), so the
 * worker sees the captured values as they were then; changes the task makes to them stay in the worker. The
 * result is a copy made in the worker when the task returns; its arrival happens-before the future completes.
 * Workers share nothing with each other or with the pool's process but what the tasks exchange explicitly.
 *
 * <h2>If a worker dies</h2>
 * Only the task it was running fails ({@link WorkerLostException}); tasks it had been sent but not started run on
 * another worker; a replacement is started. A worker that dies before it is ready (its initializer ended the JVM)
 * breaks the pool, as a failing initializer does.
 *
 * <p>Lambdas given to this class's overloads are serializable; values they capture travel with them. Results
 * and dependent stages of the returned futures complete in a thread of the pool: use the {@code …Async} methods of
 * {@link CompletableFuture} for long work in a dependent stage. Thread-safe.
 */
public class ProcessPool implements ExecutorService, AutoCloseable {
    private final PoolEngine engine;
    private final PoolTasks tasks;

    /** Starts a pool with one worker per CPU ({@link Multiprocessing#cpuCount()}). */
    public ProcessPool() {
        this(Multiprocessing.cpuCount());
    }

    /**
     * Starts a pool.
     *
     * @param processes the number of workers
     * @throws IllegalArgumentException if {@code processes < 1}
     * @throws org.multiprocessing4j.ProcessStartException if a worker cannot be started
     */
    public ProcessPool(int processes) {
        this(builder().processes(processes));
    }

    private ProcessPool(ProcessPoolBuilder builder) {
        ProcessPool built = builder.build();
        this.engine = built.engine;
        this.tasks = built.tasks;
    }

    ProcessPool(int processes, Context context, SerializableRunnable initializer, int maxTasksPerChild) {
        this.engine = new PoolEngine(processes, context, initializer, maxTasksPerChild);
        this.tasks = new PoolTasks(engine);
    }

    /** @return a builder for a pool with an initializer, maxTasksPerChild, JVM options or another context */
    public static ProcessPoolBuilder builder() {
        return new ProcessPoolBuilder();
    }

    /**
     * Runs a task in a worker and waits for its result (Python's {@code apply}).
     *
     * @param task the task
     * @return its result
     * @throws IllegalArgumentException if the task cannot be serialized
     * @throws java.util.concurrent.RejectedExecutionException if the pool was shut down
     * @throws WorkerLostException if the worker died while running it
     * @throws java.util.concurrent.CancellationException if the thread was interrupted while waiting (the task is
     *     cancelled, its worker killed) or the pool was terminated
     */
    public <R> R apply(SerializableCallable<R> task) {
        return RemoteErrors.await(applyAsync(task), "apply");
    }

    /**
     * Runs a task in a worker (Python's {@code apply_async}).
     *
     * @param task the task
     * @return its future; {@code cancel(true)} kills the worker if the task runs, {@code cancel(false)} drops it if
     *     it has not started
     * @throws IllegalArgumentException if the task cannot be serialized
     * @throws java.util.concurrent.RejectedExecutionException if the pool was shut down
     */
    public <R> CompletableFuture<R> applyAsync(SerializableCallable<R> task) {
        return tasks.call(task, 0, "apply");
    }

    /**
     * Runs a task in a worker, with a time-out counted from the moment it starts running. Past it the worker is
     * killed and replaced, and the future fails with {@link TimeoutException}.
     *
     * @param task the task
     * @param timeout the longest it may run
     * @return its future
     * @throws IllegalArgumentException if the task cannot be serialized or the time-out is not positive
     */
    public <R> CompletableFuture<R> applyAsync(SerializableCallable<R> task, Duration timeout) {
        return tasks.call(task, PoolTasks.timeoutNanos(timeout), "apply");
    }

    /**
     * Applies a function to every item, in the workers, and returns the results in order (Python's {@code map}).
     * The items are sent in chunks of {@code len / (4 * processes)} (Python's default).
     * <p>
     * The list is mutable, as an {@code ArrayList}. Results that are {@code Integer}, {@code Long} or
     * {@code Double} are held unboxed and boxed by {@code get}, so a value outside {@code Integer}'s cache is a new
     * box on each read: compare results with {@code equals}.
     *
     * @param fn the function
     * @param items the items (read at once)
     * @return the results
     * @throws IllegalArgumentException if the function or an item cannot be serialized
     */
    public <T, R> List<R> map(SerializableFunction<T, R> fn, Iterable<T> items) {
        return map(fn, items, 0, null);
    }

    /**
     * As {@link #map(SerializableFunction, Iterable)}, with a chunk size.
     *
     * @param fn the function
     * @param items the items
     * @param chunksize items per task sent to a worker; 0 for the default
     * @return the results
     */
    public <T, R> List<R> map(SerializableFunction<T, R> fn, Iterable<T> items, int chunksize) {
        return map(fn, items, chunksize, null);
    }

    /**
     * As {@link #map(SerializableFunction, Iterable, int)}, reporting progress.
     *
     * @param fn the function
     * @param items the items
     * @param chunksize items per task; 0 for the default
     * @param progress gets the progress a few times a second and at the end, such as {@link Progress#bar()}
     * @return the results
     */
    public <T, R> List<R> map(SerializableFunction<T, R> fn, Iterable<T> items, int chunksize,
                              Consumer<Progress> progress) {
        return RemoteErrors.await(mapAsync(fn, items, chunksize, progress), "map");
    }

    /**
     * Python's {@code map_async}.
     *
     * @param fn the function
     * @param items the items (read at once)
     * @return the future of the results; cancelling it cancels every chunk
     */
    public <T, R> CompletableFuture<List<R>> mapAsync(SerializableFunction<T, R> fn, Iterable<T> items) {
        return mapAsync(fn, items, 0, null);
    }

    /**
     * Python's {@code map_async} with a chunk size.
     *
     * @param fn the function
     * @param items the items
     * @param chunksize items per task; 0 for the default
     * @return the future of the results
     */
    public <T, R> CompletableFuture<List<R>> mapAsync(SerializableFunction<T, R> fn, Iterable<T> items,
                                                      int chunksize) {
        return mapAsync(fn, items, chunksize, null);
    }

    /**
     * Python's {@code map_async} with a chunk size and a progress listener.
     *
     * @param fn the function
     * @param items the items
     * @param chunksize items per task; 0 for the default
     * @param progress a listener, or {@code null}
     * @return the future of the results
     */
    public <T, R> CompletableFuture<List<R>> mapAsync(SerializableFunction<T, R> fn, Iterable<T> items,
                                                      int chunksize, Consumer<Progress> progress) {
        return tasks.map(fn, items, chunksize, false, progress);
    }

    /**
     * Python's {@code imap}: the results, in order, computed lazily. The input is read only a bounded window of
     * chunks ahead of the results consumed, so it may be endless.
     *
     * @param fn the function
     * @param items the items
     * @return the results' iterator; its {@code next()} throws a task's exception as {@code map} does
     */
    public <T, R> Iterator<R> imap(SerializableFunction<T, R> fn, Iterable<T> items) {
        return imap(fn, items, 1, null);
    }

    /**
     * Python's {@code imap} with a chunk size.
     *
     * @param fn the function
     * @param items the items
     * @param chunksize items per task (default 1)
     * @return the results' iterator
     */
    public <T, R> Iterator<R> imap(SerializableFunction<T, R> fn, Iterable<T> items, int chunksize) {
        return imap(fn, items, chunksize, null);
    }

    /**
     * Python's {@code imap} with a chunk size and a progress listener.
     *
     * @param fn the function
     * @param items the items
     * @param chunksize items per task
     * @param progress a listener, or {@code null}
     * @return the results' iterator
     */
    public <T, R> Iterator<R> imap(SerializableFunction<T, R> fn, Iterable<T> items, int chunksize,
                                   Consumer<Progress> progress) {
        return tasks.imap(fn, items, chunksize, false, true, progress);
    }

    /**
     * Python's {@code imap_unordered}: as {@link #imap}, with results in the order they finish.
     *
     * @param fn the function
     * @param items the items
     * @return the results' iterator
     */
    public <T, R> Iterator<R> imapUnordered(SerializableFunction<T, R> fn, Iterable<T> items) {
        return imapUnordered(fn, items, 1, null);
    }

    /**
     * Python's {@code imap_unordered} with a chunk size.
     *
     * @param fn the function
     * @param items the items
     * @param chunksize items per task
     * @return the results' iterator
     */
    public <T, R> Iterator<R> imapUnordered(SerializableFunction<T, R> fn, Iterable<T> items, int chunksize) {
        return imapUnordered(fn, items, chunksize, null);
    }

    /**
     * Python's {@code imap_unordered} with a chunk size and a progress listener.
     *
     * @param fn the function
     * @param items the items
     * @param chunksize items per task
     * @param progress a listener, or {@code null}
     * @return the results' iterator
     */
    public <T, R> Iterator<R> imapUnordered(SerializableFunction<T, R> fn, Iterable<T> items, int chunksize,
                                            Consumer<Progress> progress) {
        return tasks.imap(fn, items, chunksize, false, false, progress);
    }

    /**
     * Python's {@code starmap}: applies a two-argument function to the key and value of each entry. Any entries
     * work, {@code Map.entry(a, b)}'s included (they are not serializable: only their key and value travel).
     *
     * @param fn the function
     * @param items the entries
     * @return the results, in order
     */
    public <A, B, R> List<R> starmap(SerializableBiFunction<A, B, R> fn,
                                     Iterable<? extends Map.Entry<A, B>> items) {
        return starmap(fn, items, 0);
    }

    /**
     * Python's {@code starmap} with a chunk size.
     *
     * @param fn the function
     * @param items the entries
     * @param chunksize entries per task; 0 for the default
     * @return the results, in order
     */
    public <A, B, R> List<R> starmap(SerializableBiFunction<A, B, R> fn, Iterable<? extends Map.Entry<A, B>> items,
                                     int chunksize) {
        return RemoteErrors.await(starmapAsync(fn, items, chunksize), "starmap");
    }

    /**
     * Python's {@code starmap_async}.
     *
     * @param fn the function
     * @param items the entries
     * @param chunksize entries per task; 0 for the default
     * @return the future of the results
     */
    public <A, B, R> CompletableFuture<List<R>> starmapAsync(SerializableBiFunction<A, B, R> fn,
                                                             Iterable<? extends Map.Entry<A, B>> items,
                                                             int chunksize) {
        return tasks.map(fn, items, chunksize, true, null);
    }

    /**
     * Submits a task ({@code ProcessPoolExecutor.submit}).
     *
     * @param task the task
     * @return its future
     */
    public <T> CompletableFuture<T> submit(SerializableCallable<T> task) {
        return tasks.call(task, 0, "submit");
    }

    /**
     * Submits a task given as a plain {@link Callable}, which must also be {@link Serializable}: a lambda passed
     * through an {@code ExecutorService} reference is not, and is refused with a message that says what to do.
     *
     * @throws IllegalArgumentException if the task is not serializable
     */
    @Override
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        return submit(TaskAdapters.serializable(task));
    }

    /**
     * Submits a task without a result; its future completes with {@code null}. A lambda with a {@code void} body
     * matches both this and {@link #submit(Runnable)}: declare it as a {@code SerializableRunnable} (or cast).
     *
     * @param task the task
     * @return its future
     */
    public CompletableFuture<?> submit(SerializableRunnable task) {
        return submit(task, null);
    }

    /**
     * Submits a task without a result.
     *
     * @param task the task
     * @param result the value the future completes with (sent to the worker and back: serializable)
     * @return its future
     */
    public <T> CompletableFuture<T> submit(SerializableRunnable task, T result) {
        return submit(TaskAdapters.returning(task, result));
    }

    /**
     * {@inheritDoc} The task must be {@link Serializable} (see {@link #submit(Callable)}).
     *
     * @throws IllegalArgumentException if the task is not serializable
     */
    @Override
    public CompletableFuture<?> submit(Runnable task) {
        return submit(task, null);
    }

    /**
     * {@inheritDoc} The task must be {@link Serializable} (see {@link #submit(Callable)}).
     *
     * @throws IllegalArgumentException if the task is not serializable
     */
    @Override
    public <T> CompletableFuture<T> submit(Runnable task, T result) {
        SerializableRunnable r = TaskAdapters.serializable(task);
        return submit(r, result);
    }

    /**
     * {@inheritDoc} The task must be {@link Serializable}; its failure is only visible in the worker's stderr
     * and through {@link #workerStats()}.
     *
     * @throws IllegalArgumentException if the task is not serializable
     */
    @Override
    public void execute(Runnable command) {
        submit(command);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        return Invocations.all(submitAll(tasks));
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        return Invocations.allUntil(submitAll(tasks), deadline);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ExecutionException(e);
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("invokeAny needs at least one task");
        }
        return Invocations.any(submitAll(tasks), timeout, unit);
    }

    private <T> List<Future<T>> submitAll(Collection<? extends Callable<T>> tasks) {
        List<SerializableCallable<T>> checked = new ArrayList<>(tasks.size());
        for (Callable<T> t : tasks) {
            checked.add(TaskAdapters.serializable(t));
        }
        List<Future<T>> futures = new ArrayList<>(checked.size());
        for (SerializableCallable<T> t : checked) {
            futures.add(submit(t));
        }
        return futures;
    }

    /**
     * Stops taking tasks (Python's {@code close()}); queued tasks still run, then the workers exit.
     */
    @Override
    public void shutdown() {
        engine.shutdown();
    }

    /**
     * Stops at once ({@link #terminate()}).
     *
     * @return an empty list: queued tasks are cancelled (their futures say so), not handed back
     */
    @Override
    public List<Runnable> shutdownNow() {
        engine.terminate();
        return List.of();
    }

    /** Python's {@code terminate()}: cancels queued and running tasks and kills every worker now. */
    public void terminate() {
        engine.terminate();
    }

    /**
     * Python's {@code join()}: waits until every worker has ended.
     *
     * @throws IllegalStateException if neither {@link #shutdown()} nor {@link #terminate()} was called
     * @throws InterruptedException if interrupted while waiting
     */
    public void join() throws InterruptedException {
        if (!engine.isShutdown()) {
            throw new IllegalStateException("join() waits for a pool that was shut down: call shutdown() or "
                    + "terminate() first (Python's close()/terminate())");
        }
        engine.awaitTermination(-1);
    }

    @Override
    public boolean isShutdown() {
        return engine.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return engine.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return engine.awaitTermination(Math.max(0, unit.toNanos(timeout)));
    }

    /**
     * {@link #shutdown()}, then waits until every worker has ended (JDK 19's {@code ExecutorService.close()}). If
     * interrupted while waiting, terminates the pool and keeps the interrupt status. Idempotent.
     */
    @Override
    public void close() {
        shutdown();
        try {
            engine.awaitTermination(-1);
        } catch (InterruptedException e) {
            terminate();
            Thread.currentThread().interrupt();
        }
    }

    /** @return the number of worker processes */
    public int processes() {
        return engine.processes();
    }

    /** @return per-worker figures: tasks done, busy time, restarts, current pid */
    public List<WorkerStats> workerStats() {
        return engine.stats();
    }

    /** @return the pids of the running workers */
    public List<Long> workerPids() {
        return engine.pids();
    }

    @Override
    public String toString() {
        return "ProcessPool[processes=" + processes() + (isTerminated() ? " terminated" : isShutdown() ? " shut down"
                : " running") + "]";
    }
}
