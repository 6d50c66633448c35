package org.multiprocessing4j.internal.pool;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.multiprocessing4j.internal.codec.JdkCodec;
import org.multiprocessing4j.pool.BrokenPoolException;

/**
 * How a worker's exception reaches the caller: decoded with the worker's stack trace, marked with the map item
 * that failed, and, from the blocking calls ({@code apply}, {@code map}, {@code starmap}, the {@code imap}
 * iterators), rethrown with its own type when it is unchecked (a suppressed {@code TaskSite} names the call that
 * rethrew it), or as the cause of a {@link CompletionException} when it is checked. An interrupt while waiting
 * cancels the task (killing its worker if it runs) and keeps the thread's interrupt status.
 */
public final class RemoteErrors {
    private RemoteErrors() {
    }

    /**
     * A marker attached (as a suppressed exception) to a worker's exception: where it was rethrown in this process,
     * and for a map, which item failed.
     */
    static final class TaskSite extends Exception {
        private static final long serialVersionUID = 1L;

        TaskSite(String message) {
            super(message);
        }
    }

    static Throwable decode(byte[] bytes) {
        try {
            Object o = JdkCodec.INSTANCE.decode(bytes, PoolEngine.loader());
            if (o instanceof Throwable) {
                return (Throwable) o;
            }
            return new IllegalStateException("a worker sent a failure that is not an exception: " + o);
        } catch (Exception | LinkageError e) {
            return new IllegalStateException("a worker's exception could not be decoded in this process: " + e
                    + " (is its class on this process's class path?)", e);
        }
    }

    /** Marks a worker's exception with the item that failed. */
    static Throwable forItem(Throwable error, long index, Object value) {
        error.addSuppressed(new TaskSite("while applying the function to item index=" + index + " value="
                + abbreviate(value)));
        return error;
    }

    static String abbreviate(Object value) {
        String s;
        try {
            s = String.valueOf(value);
        } catch (RuntimeException e) {
            s = value.getClass().getName() + " (toString threw " + e + ")";
        }
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    /**
     * Waits for a future and returns its value, rethrowing a failure as {@code apply} and {@code map} do.
     *
     * @param future the future
     * @param what the operation, for the message of a wrapped checked exception
     * @return the value
     * @throws CancellationException if the future was cancelled, or the thread interrupted while waiting
     */
    public static <T> T await(Future<T> future, String what) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new CancellationException(what + " was interrupted while waiting; the task was cancelled");
        } catch (ExecutionException e) {
            throw rethrow(e.getCause(), what);
        }
    }

    static RuntimeException rethrow(Throwable cause, String what) {
        if (cause instanceof Error) {
            throw (Error) cause;
        }
        if (cause instanceof RuntimeException) {
            RuntimeException r = (RuntimeException) cause;
            if (!(r instanceof BrokenPoolException)) {
                r.addSuppressed(new TaskSite("rethrown here by " + what));
            }
            return r;
        }
        return new CompletionException(what + " failed: " + cause, cause);
    }
}
