package org.multiprocessing4j.pool;

import java.io.Serializable;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.multiprocessing4j.function.SerializableCallable;
import org.multiprocessing4j.function.SerializableRunnable;

/**
 * Turns the plain {@link Callable}s and {@link Runnable}s that {@code ExecutorService}'s own methods take into the
 * serializable tasks a worker process needs, or refuses them at submission, in the caller, with a message that
 * says what to pass instead: a plain lambda cannot cross a process boundary.
 */
final class TaskAdapters {
    private TaskAdapters() {
    }

    @SuppressWarnings("unchecked")
    static <T> SerializableCallable<T> serializable(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        if (task instanceof SerializableCallable) {
            return (SerializableCallable<T>) task;
        }
        if (!(task instanceof Serializable)) {
            throw new IllegalArgumentException(notSerializable(task, "Callable", "SerializableCallable"));
        }
        Callable<T> t = task;
        return (SerializableCallable<T>) (SerializableCallable<T> & Serializable) t::call;
    }

    static SerializableRunnable serializable(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (!(task instanceof Serializable)) {
            throw new IllegalArgumentException(notSerializable(task, "Runnable", "SerializableRunnable"));
        }
        Runnable t = task;
        return t::run;
    }

    /** @return a task that runs {@code task} and returns {@code result} (both travel to the worker) */
    static <T> SerializableCallable<T> returning(SerializableRunnable task, T result) {
        Objects.requireNonNull(task, "task");
        return () -> {
            task.run();
            return result;
        };
    }

    private static String notSerializable(Object task, String plain, String serializable) {
        return "the task is a plain " + plain + " (class " + task.getClass().getName() + ") that is not "
                + "serializable, so it cannot be sent to a worker process; pass a " + serializable + " instead: a "
                + "lambda given to a ProcessPool reference is one (pool.submit(() -> …)), or cast it: ("
                + serializable + "<…>) () -> …";
    }
}
