package org.multiprocessing4j.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.StartMethod;
import org.multiprocessing4j.function.SerializableRunnable;

/**
 * Configures a {@link ProcessPool}: {@code ProcessPool.builder().processes(4).initializer(...).build()}.
 * Not thread-safe; {@link #build()} may be called more than once.
 */
public final class ProcessPoolBuilder {
    private int processes = Multiprocessing.cpuCount();
    private SerializableRunnable initializer;
    private int maxTasksPerChild;
    private Context context;
    private StartMethod startMethod;
    private final List<String> jvmOptions = new ArrayList<>();

    ProcessPoolBuilder() {
    }

    /**
     * @param n the number of worker processes (default: {@link Multiprocessing#cpuCount()})
     * @return this builder
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public ProcessPoolBuilder processes(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a pool needs at least one process: processes=" + n);
        }
        this.processes = n;
        return this;
    }

    /**
     * @param task run once in each worker before its first task (Python's {@code initializer}); if it throws, the
     *     pool breaks: every pending and later task fails with {@link BrokenPoolException}, once, instead of
     *     workers being started again and again
     * @return this builder
     */
    public ProcessPoolBuilder initializer(SerializableRunnable task) {
        this.initializer = Objects.requireNonNull(task, "task");
        return this;
    }

    /**
     * @param n tasks a worker runs before it is replaced by a fresh one (a map chunk counts as one); 0, the
     *     default, for no limit (Python's {@code maxtasksperchild})
     * @return this builder
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public ProcessPoolBuilder maxTasksPerChild(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("maxTasksPerChild must not be negative: maxTasksPerChild=" + n);
        }
        this.maxTasksPerChild = n;
        return this;
    }

    /**
     * @param options JVM options for the workers, such as {@code -Xmx2g}, after the context's (so they win)
     * @return this builder
     */
    public ProcessPoolBuilder jvmOptions(String... options) {
        for (String o : options) {
            jvmOptions.add(Objects.requireNonNull(o, "option"));
        }
        return this;
    }

    /**
     * @param context the context the workers are started with (start method, java, class path, environment)
     * @return this builder
     */
    public ProcessPoolBuilder context(Context context) {
        this.context = Objects.requireNonNull(context, "context");
        return this;
    }

    /**
     * @param method the start method of the workers, applied to the context
     * @return this builder
     */
    public ProcessPoolBuilder startMethod(StartMethod method) {
        this.startMethod = Objects.requireNonNull(method, "method");
        return this;
    }

    /**
     * Starts the pool: returns once every worker process has been started; tasks queue until workers connect.
     *
     * @return the pool
     * @throws org.multiprocessing4j.ProcessStartException if a worker cannot be started; nothing is left behind
     */
    public ProcessPool build() {
        Context ctx = context != null ? context : Multiprocessing.getContext();
        if (startMethod != null) {
            ctx = ctx.withStartMethod(startMethod);
        }
        if (!jvmOptions.isEmpty()) {
            ctx = ctx.withJvmOptions(jvmOptions.toArray(new String[0]));
        }
        return new ProcessPool(processes, ctx, initializer, maxTasksPerChild);
    }
}
