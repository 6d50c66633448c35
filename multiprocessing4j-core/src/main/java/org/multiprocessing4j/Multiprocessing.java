package org.multiprocessing4j;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.multiprocessing4j.internal.Log;

/**
 * The module functions of Python's {@code multiprocessing}: {@code cpu_count()}, {@code active_children()},
 * {@code current_process()}, {@code parent_process()} and the start-method functions.
 */
public final class Multiprocessing {
    private static final Map<StartMethod, Context> CONTEXTS = new EnumMap<>(StartMethod.class);
    private static volatile StartMethod startMethod;

    private Multiprocessing() {
    }

    /** @return the number of CPUs this JVM may use ({@link Runtime#availableProcessors()}) */
    public static int cpuCount() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * The children started by this process that are still running: the same {@link ChildProcess} objects, in the
     * order they were started. Ended children are forgotten here. The library's own helper processes never appear.
     *
     * @return a new list
     */
    public static List<ChildProcess> activeChildren() {
        return ProcessTable.get().activeChildren();
    }

    /**
     * The process this code runs in: {@code MainProcess} in the main program; in a child, the {@link ChildProcess}
     * object it runs (its name, pid, daemon flag and auth key).
     *
     * @return the current process
     */
    public static ChildProcess currentProcess() {
        return ProcessTable.get().current();
    }

    /** @return the parent process (its name and pid, {@code isAlive()}), or {@code null} in the main process */
    public static ChildProcess parentProcess() {
        return ProcessTable.get().parent();
    }

    /** @return the context of the current start method */
    public static Context getContext() {
        return getContext(getStartMethod());
    }

    /**
     * @param method a start method
     * @return the context of that start method, with default JVM settings
     */
    public static Context getContext(StartMethod method) {
        Objects.requireNonNull(method, "method");
        synchronized (CONTEXTS) {
            return CONTEXTS.computeIfAbsent(method, Context::new);
        }
    }

    /**
     * Sets the start method used by {@code new ChildProcess(…)}; may be called once (Python's rule).
     *
     * @param method the start method
     * @throws IllegalStateException if a different start method was already set
     */
    public static void setStartMethod(StartMethod method) {
        setStartMethod(method, false);
    }

    /**
     * Sets the start method used by {@code new ChildProcess(…)}.
     *
     * @param method the start method
     * @param force whether to replace one that was already set
     * @throws IllegalStateException if a different start method was already set and {@code force} is false
     */
    public static synchronized void setStartMethod(StartMethod method, boolean force) {
        Objects.requireNonNull(method, "method");
        if (!force && startMethod != null && startMethod != method) {
            throw new IllegalStateException("the start method was already set: current=" + startMethod
                    + " requested=" + method + " (pass force=true to replace it)");
        }
        startMethod = method;
    }

    /**
     * Prints the library's lifecycle events (children started and ended, with pids, exit codes and times) to
     * stderr, in this process and in the children it starts from now on (Python's {@code log_to_stderr()}). The
     * events always go to the {@link System.Logger} named {@code org.multiprocessing4j} at level DEBUG.
     */
    public static void logToStderr() {
        Log.enableStderr();
    }

    /** @return the start method in use: the one set, else {@link StartMethod#PRESTART} */
    public static StartMethod getStartMethod() {
        StartMethod m = startMethod;
        return m != null ? m : StartMethod.PRESTART;
    }

    /** @return every start method, the default first */
    public static List<StartMethod> getAllStartMethods() {
        return List.of(StartMethod.PRESTART, StartMethod.SPAWN);
    }
}
