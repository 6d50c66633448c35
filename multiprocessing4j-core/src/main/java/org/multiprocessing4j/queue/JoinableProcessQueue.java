package org.multiprocessing4j.queue;

import java.time.Duration;
import java.util.Objects;
import org.multiprocessing4j.internal.wait.Deadline;

/**
 * A {@link ProcessQueue} that counts unfinished tasks (Python's {@code multiprocessing.JoinableQueue}): every item
 * put is a task, a consumer calls {@link #taskDone()} when it has handled an item it took, and {@link #join()} waits
 * until every item ever put has been marked done.
 *
 * <pre>{@code
 * JoinableProcessQueue<Job> q = new JoinableProcessQueue<>();
 * new ChildProcess(() -> { for (;;) { handle(q.take()); q.taskDone(); } }).start();
 * jobs.forEach(q::add);
 * q.join();   // every job handled
 * }</pre>
 *
 * <h2>Cross-process visibility</h2>
 * As for {@link ProcessQueue}; besides, actions of a thread before its {@code taskDone()} happen-before the return
 * of a {@code join()} that this call let return.
 *
 * <h2>If a participating process dies</h2>
 * As for {@link ProcessQueue}. A consumer that dies after taking an item and before its {@code taskDone()} leaves
 * that task unfinished for ever, as in Python: {@code join()} then waits for ever, {@link #join(Duration)} returns
 * false. The counts live in shared memory, so nothing else is lost with a process.
 *
 * @param <E> the type of the items
 */
public class JoinableProcessQueue<E> extends ProcessQueue<E> {
    private static final long serialVersionUID = 1L;

    /** Makes an unbounded joinable queue. */
    public JoinableProcessQueue() {
        super();
    }

    /**
     * Makes a joinable queue that holds at most {@code maxsize} items (0 or less: unbounded).
     *
     * @param maxsize the most items it holds
     */
    public JoinableProcessQueue(int maxsize) {
        super(maxsize);
    }

    /**
     * Marks one task done: a consumer calls it once per item it took, when it has handled it (Python's
     * {@code task_done()}). Any process may call it.
     *
     * @throws IllegalStateException if called more times than items were put (Python's ValueError)
     */
    public void taskDone() {
        ring().taskDone();
    }

    /**
     * Waits until every item put on the queue, by any process, has been marked done with {@link #taskDone()}
     * (Python's {@code join()}).
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void join() throws InterruptedException {
        ring().join(Deadline.NONE);
    }

    /**
     * Waits up to {@code timeout} until every item put has been marked done.
     *
     * @param timeout the longest wait
     * @return true if every task is done, false on time-out
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean join(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return ring().join(Deadline.after(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS));
    }
}
