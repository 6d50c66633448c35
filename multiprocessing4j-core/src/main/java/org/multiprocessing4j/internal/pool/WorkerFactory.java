package org.multiprocessing4j.internal.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.ProcessStartException;
import org.multiprocessing4j.function.SerializableRunnable;
import org.multiprocessing4j.internal.pool.worker.WorkerLoop;

/**
 * Makes the worker processes of one pool: daemon {@link ChildProcess}es of the pool's context, named
 * {@code PoolWorker-N}, whose target runs a {@link WorkerLoop} made from the values it captures: the pool's socket
 * path and token, the worker's slot and generation, the initializer and maxTasksPerChild.
 */
final class WorkerFactory {
    private static final AtomicInteger NUMBERS = new AtomicInteger();

    private final Context context;
    private final SerializableRunnable initializer;
    private final int maxTasks;
    private final String socketPath;
    private final byte[] token;

    WorkerFactory(Context context, SerializableRunnable initializer, int maxTasks, String socketPath, byte[] token) {
        this.context = context;
        this.initializer = initializer;
        this.maxTasks = maxTasks;
        this.socketPath = socketPath;
        this.token = token;
    }

    /**
     * @param markPath the worker's RunMark file, or {@code null}
     * @return a new worker process, not started
     */
    ChildProcess process(int slot, long generation, String markPath) {
        // a lambda, not the WorkerLoop object: a lambda target travels as plain data (ProcessForm), which a JVM
        // started ahead of time decodes in ~0.2 ms, against ~2 ms for an object stream
        String path = socketPath;
        byte[] admission = token;
        SerializableRunnable init = initializer;
        int max = maxTasks;
        ChildProcess p = context.process(() -> new WorkerLoop(path, admission, slot, generation, init, max, markPath)
                        .run(),
                "PoolWorker-" + NUMBERS.incrementAndGet());
        p.setDaemon(true);
        return p;
    }

    /**
     * Starts workers in parallel (each start may launch a JVM) and waits for all.
     *
     * @return the first failure, or {@code null}
     */
    static RuntimeException startAll(List<WorkerConn> workers, Consumer<WorkerConn> start) {
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (WorkerConn w : workers.subList(1, workers.size())) {
            starts.add(CompletableFuture.runAsync(() -> start.accept(w), WorkerFactory::startThread));
        }
        RuntimeException failure = null;
        try {
            start.accept(workers.get(0));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (CompletableFuture<Void> s : starts) {
            try {
                s.get();
            } catch (ExecutionException e) {
                failure = failure != null ? failure : (RuntimeException) e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new ProcessStartException("interrupted while starting the pool's workers", e);
            }
        }
        return failure;
    }

    static void startThread(Runnable r) {
        Thread t = new Thread(r, "mp4j-pool-start");
        t.setDaemon(true);
        t.start();
    }
}
