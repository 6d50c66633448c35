package org.multiprocessing4j.internal.pool.worker;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.function.SerializableBiFunction;
import org.multiprocessing4j.function.SerializableFunction;
import org.multiprocessing4j.internal.codec.JdkCodec;
import org.multiprocessing4j.internal.pool.protocol.Items;
import org.multiprocessing4j.internal.pool.protocol.LambdaCodec;
import org.multiprocessing4j.internal.pool.protocol.PoolChannel;
import org.multiprocessing4j.internal.pool.protocol.PoolMessage;
import org.multiprocessing4j.internal.pool.protocol.RunMark;

/**
 * A worker's task loop, on its main thread.
 *
 * <pre>
 * Overview:
 *  - read every message that has already arrived before running the next task, so a CANCEL that arrived while a
 *    task ran drops the task it names (answered with DROPPED) instead of running it; the socket itself is read
 *    for that at most every READ_EVERY_NANOS (20 us) between queued tasks, so that short tasks do not pay a
 *    system call each
 *  - run tasks in the order received; answer each with RESULT or FAILURE
 *  - replies are batched: flushed when nothing else is queued, after a task that took a while, or every BATCH;
 *    and while a task runs with replies held, a ReplyWatch sends them once it has run for a millisecond, so a slow
 *    task never holds back the answers of the quick ones before it;
 *    the values of consecutive tasks that ended normally go in one RESULTS frame (one message for the pool to
 *    decode and settle under one lock, instead of one per task); a FAILURE or DROPPED closes the batch before it;
 *    while a flush waits for the pool to read, the worker keeps reading the pool's messages (else both sides
 *    could block writing to each other with full socket buffers)
 *  - when idle, spin on the socket before blocking, for as long as IdleSpin says: adaptive (20 us to 1 ms) after
 *    a single task, so a caller that waits for each result gets the next task to us without a wake-up; short
 *    after a batch, so that spinning workers do not take the CPU that the pool needs to feed them
 *  - an OutOfMemoryError (or another VirtualMachineError but StackOverflowError) ends the JVM at once with
 *    OOM_EXIT_CODE: its state cannot be trusted, and the pool reports the task as lost
 * </pre>
 */
final class WorkerSession {
    /** The exit code of a worker that ran out of memory (as {@code -XX:+ExitOnOutOfMemoryError} uses). */
    static final int OOM_EXIT_CODE = 3;
    private static final int BATCH = 64;
    private static final long QUICK_TASK_NANOS = 50_000;
    /**
     * Between two tasks of a queue the socket is read for new messages (a CANCEL) at most this often: a read system
     * call per task cost as much as a short task itself, and tasks of a microsecond need no cancel within one.
     */
    private static final long READ_EVERY_NANOS = 20_000;

    private final PoolChannel channel;
    private final int maxTasks;
    private final ClassLoader loader = ClassLoader.getSystemClassLoader();
    private final ArrayDeque<PoolMessage> queue = new ArrayDeque<>();
    private final Set<Long> cancelled = new HashSet<>();
    private final Map<Integer, byte[]> definitions = new HashMap<>();
    private final Map<Integer, Object> functions = new HashMap<>();
    private final IdleSpin idle = new IdleSpin();
    /** Where the pool reads which task this worker runs, should it die (its replies may not have left yet). */
    private final RunMark mark;
    /** Whether the mark names a task (it is cleared once the queue runs dry). */
    private boolean marked;
    private int done;
    private int unflushed;
    private long lastRead;
    /** The function of the last chunk: a map's chunks all use one, so most chunks need no map look-up. */
    private int lastFnId;
    private Object lastFn;
    /** Results not yet sent: consecutive tasks that ended normally, sent as one RESULTS at the next flush. */
    private final long[] pendingIds = new long[BATCH];
    private final long[] pendingBusy = new long[BATCH];
    private final byte[][] pendingValues = new byte[BATCH][];
    private int pending;
    /** Sends the held replies if a task runs long meanwhile. */
    private final ReplyWatch watch = new ReplyWatch(this::releaseHeld);
    /** The item of a chunk whose function threw, or -1. */
    private int failedItem;
    /** Where IntChunk leaves the item whose call threw. */
    private final int[] failedAt = new int[1];

    WorkerSession(PoolChannel channel, int maxTasks, RunMark mark) {
        this.channel = channel;
        this.maxTasks = maxTasks;
        this.mark = mark;
    }

    void serve() throws IOException {
        try {
            while (maxTasks <= 0 || done < maxTasks) {
                step();
            }
            sendResults();
            channel.flush(this::drain);
        } catch (EOFException e) {
            // the pool closed the socket: shut down
        }
    }

    /**
     * Ends the session's own thread (its reply watch), for a session that ends before its JVM does.
     *
     * @throws InterruptedException if interrupted while waiting for it
     */
    void close() throws InterruptedException {
        watch.close();
    }

    /**
     * Takes in one message, or runs the next queued task: a method of its own rather than the body of serve's
     * loop, so that the JIT compiles it as a method (after some thousands of calls) instead of only by on-stack
     * replacement of the one serve() call.
     */
    private void step() throws IOException {
        PoolMessage m;
        if (queue.isEmpty()) {
            if (marked) {
                // the mark is cleared when the worker runs out of tasks, not after every task: a store to the mapped
                // page costs about a microsecond while this code runs interpreted, as it does for a fresh worker's
                // first thousands of tasks; between two queued tasks it names the one that just ended
                mark.set(RunMark.NONE);
                marked = false;
            }
            long spin = idle.beginWait();
            long since = System.nanoTime();
            m = channel.receive(spin);
            idle.endWait(System.nanoTime() - since, channel.spinWasPreempted());
        } else if (System.nanoTime() - lastRead < READ_EVERY_NANOS) {
            m = channel.pollBuffered();
        } else {
            m = channel.poll();
            lastRead = System.nanoTime();
        }
        if (m != null) {
            accept(m);
            return;
        }
        PoolMessage task = queue.pollFirst();
        long t0 = System.nanoTime();
        run(task);
        idle.ran(System.nanoTime() - t0);
        done++;
        unflushed++;
        if (queue.isEmpty() || unflushed >= BATCH || System.nanoTime() - t0 > QUICK_TASK_NANOS) {
            sendResults();
            channel.flush(this::drain);
            unflushed = 0;
        }
    }

    /** Takes in every message that has arrived, while a flush of replies waits for the pool to read. */
    private void drain() throws IOException {
        PoolMessage m;
        while ((m = channel.poll()) != null) {
            accept(m);
        }
    }

    private void accept(PoolMessage m) {
        if (m instanceof PoolMessage.Define) {
            PoolMessage.Define d = (PoolMessage.Define) m;
            definitions.put(d.fnId(), d.function());
        } else if (m instanceof PoolMessage.Undefine) {
            int id = ((PoolMessage.Undefine) m).fnId();
            definitions.remove(id);
            functions.remove(id);
            if (id == lastFnId) {
                lastFn = null;
            }
        } else if (m instanceof PoolMessage.Chunks) {
            PoolMessage.Chunks chunks = (PoolMessage.Chunks) m;
            for (int i = 0; i < chunks.count(); i++) {
                queue.addLast(chunks.chunk(i));
            }
        } else if (m instanceof PoolMessage.Cancel) {
            long id = ((PoolMessage.Cancel) m).taskId();
            // a task that already ran (the cancel crossed its result) is not remembered
            for (PoolMessage queued : queue) {
                if (taskId(queued) == id) {
                    cancelled.add(id);
                    break;
                }
            }
        } else {
            queue.addLast(m);
        }
    }

    private static long taskId(PoolMessage task) {
        return task instanceof PoolMessage.Call ? ((PoolMessage.Call) task).taskId()
                : ((PoolMessage.Chunk) task).taskId();
    }

    private void run(PoolMessage task) {
        long id = taskId(task);
        if (!cancelled.isEmpty() && cancelled.remove(id)) {
            sendResults();
            channel.send(new PoolMessage.Dropped(id));
            return;
        }
        long t0 = System.nanoTime();
        if (mark != null) {
            mark.set(id);
            marked = true;
        }
        boolean watched = unflushed > 0 && watch.arm();
        byte[] value = null;
        Throwable failure = null;
        try {
            value = compute(task);
        } catch (OutOfMemoryError | InternalError | UnknownError e) {
            dieOf(e);
        } catch (Throwable t) {
            failure = t;
        }
        if (watched && watch.disarm()) {
            unflushed = channel.hasPending() ? 1 : 0;
        }
        long busy = System.nanoTime() - t0;
        if (failure != null) {
            sendResults();
            channel.send(new PoolMessage.Failure(id, failedItem, Errors.encode(failure), busy));
            return;
        }
        if (pending == BATCH) {
            sendResults();
        }
        pendingIds[pending] = id;
        pendingBusy[pending] = busy;
        pendingValues[pending++] = value;
    }

    /** Runs a task's code: a callable, or a chunk's function over its items. @return the encoded result */
    private byte[] compute(PoolMessage task) throws Exception {
        failedItem = -1;
        if (task instanceof PoolMessage.Call) {
            Callable<?> callable = (Callable<?>) LambdaCodec.decode(((PoolMessage.Call) task).callable(), loader);
            return JdkCodec.INSTANCE.encode(callable.call());
        }
        PoolMessage.Chunk chunk = (PoolMessage.Chunk) task;
        Object fn = function(chunk.fnId());
        byte[] bytes = chunk.items();
        if (!chunk.spread() && bytes.length > 0 && bytes[0] == Items.INTS) {
            @SuppressWarnings("unchecked")
            SerializableFunction<Object, Object> f = (SerializableFunction<Object, Object>) fn;
            try {
                return IntChunk.apply(f, bytes, failedAt);
            } finally {
                failedItem = failedAt[0];
            }
        }
        List<Object> items = Items.decode(bytes, loader);
        List<Object> results;
        int item;
        if (chunk.spread()) {
            @SuppressWarnings("unchecked")
            SerializableBiFunction<Object, Object, Object> f = (SerializableBiFunction<Object, Object, Object>) fn;
            results = new ArrayList<>(items.size() / 2);
            for (item = 0; item < items.size() / 2; item++) {
                failedItem = item;
                results.add(f.apply(items.get(2 * item), items.get(2 * item + 1)));
            }
        } else {
            @SuppressWarnings("unchecked")
            SerializableFunction<Object, Object> f = (SerializableFunction<Object, Object>) fn;
            results = items;
            for (item = 0; item < items.size(); item++) {
                failedItem = item;
                results.set(item, f.apply(items.get(item)));
            }
        }
        failedItem = -1;
        return Items.encode(results);
    }

    /**
     * Takes the held replies out while the worker's thread runs a task (on the ReplyWatch's thread): queues them
     * and writes what the socket takes now. A failure here is left for the worker's own next flush to meet.
     */
    private void releaseHeld() {
        try {
            sendResults();
            channel.flushAvailable();
        } catch (IOException | RuntimeException e) {
            // the pool is gone or the write failed: the worker's next flush reports it
        }
    }

    /** Queues the results not yet sent on the channel: one RESULT, or one RESULTS for several. */
    private void sendResults() {
        if (pending == 0) {
            return;
        }
        if (pending == 1) {
            channel.send(new PoolMessage.Result(pendingIds[0], pendingValues[0], pendingBusy[0]));
        } else {
            channel.send(new PoolMessage.Results(pending, pendingIds, pendingBusy, pendingValues));
        }
        for (int i = 0; i < pending; i++) {
            pendingValues[i] = null;
        }
        pending = 0;
    }

    private Object function(int fnId) throws IOException {
        if (fnId == lastFnId && lastFn != null) {
            return lastFn;
        }
        Object fn = functions.get(fnId);
        if (fn == null) {
            byte[] bytes = definitions.get(fnId);
            if (bytes == null) {
                throw new IllegalStateException("pool protocol error: chunk for an undefined function fnId=" + fnId);
            }
            fn = LambdaCodec.decode(bytes, loader);
            functions.put(fnId, fn);
        }
        lastFnId = fnId;
        lastFn = fn;
        return fn;
    }

    private static void dieOf(VirtualMachineError e) {
        try {
            System.err.println("pool worker " + Multiprocessing.currentProcess().name() + " pid="
                    + ProcessHandle.current().pid() + " ends: " + e + " (exit code " + OOM_EXIT_CODE + ")");
            System.err.flush();
        } finally {
            Runtime.getRuntime().halt(OOM_EXIT_CODE);
        }
    }
}
