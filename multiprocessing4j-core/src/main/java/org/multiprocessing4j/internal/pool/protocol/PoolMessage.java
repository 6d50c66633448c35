package org.multiprocessing4j.internal.pool.protocol;

import java.io.IOException;
import java.io.StreamCorruptedException;
import org.multiprocessing4j.internal.codec.ByteSink;

/**
 * The messages between a pool and one of its workers, after the hand-shake.
 *
 * <pre>
 * Overview: each message is one frame whose first byte is its kind. Values (callables, functions, items, results,
 * exceptions) are opaque byte arrays made by the codec; this layer never deserializes them.
 *   worker -> pool  HELLO     (1)  slot and generation the worker was started for, its pid: binds the connection
 *   pool -> worker  DEFINE    (2)  a function of a map call, by id, so that chunks need not carry it
 *   pool -> worker  UNDEFINE  (3)  the map call is over: forget the function
 *   pool -> worker  CALL      (4)  run a serialized callable
 *   pool -> worker  CHUNK     (5)  apply a defined function to each item of a chunk
 *   pool -> worker  CANCEL    (6)  a task sent earlier is cancelled: drop it if it has not started
 *   worker -> pool  RESULT    (7)  a task ended normally: its value (a CHUNK's: every result, in order)
 *   worker -> pool  FAILURE   (8)  a task threw: the item index (-1 for a CALL) and the exception
 *   worker -> pool  DROPPED   (9)  a cancelled task was dropped without running
 *   worker -> pool  INIT_FAILED (10) the pool's initializer threw; the worker exits
 *   pool -> worker  CHUNKS    (12) several CHUNKs of one function in one frame: consecutive tasks for this worker
 *   worker -> pool  RESULTS   (11) several RESULTs in one frame: the values of consecutive tasks that ended normally
 *                                  (a worker sends those of a burst of short tasks together, at its next flush)
 * A worker answers every CALL and CHUNK exactly once (RESULT, FAILURE or DROPPED, a RESULT possibly inside a
 * RESULTS), in the order received; so the
 * oldest unanswered task of a worker is the one it is running. End of stream from the pool tells a worker to exit.
 * </pre>
 */
public sealed interface PoolMessage {

    /** The kind byte that opens the frame. */
    byte kind();

    /** Writes the fields after the kind byte. */
    void writeFields(ByteSink out);

    /** The worker introduces itself. @param slot the worker's slot @param generation its start count @param pid its pid */
    record Hello(int slot, long generation, long pid) implements PoolMessage {
        static final byte KIND = 1;

        @Override
        public byte kind() {
            return KIND;
        }

        @Override
        public void writeFields(ByteSink out) {
            out.putInt(slot);
            out.putLong(generation);
            out.putLong(pid);
        }
    }

    /** A function for chunks. @param fnId its id @param function the serialized function */
    record Define(int fnId, byte[] function) implements PoolMessage {
        static final byte KIND = 2;

        @Override
        public byte kind() {
            return KIND;
        }

        @Override
        public void writeFields(ByteSink out) {
            out.putInt(fnId);
            out.putBytes(function);
        }
    }

    /** Forget a function. @param fnId its id */
    record Undefine(int fnId) implements PoolMessage {
        static final byte KIND = 3;

        @Override
        public byte kind() {
            return KIND;
        }

        @Override
        public void writeFields(ByteSink out) {
            out.putInt(fnId);
        }
    }

    /** Run a callable. @param taskId the task @param callable the serialized callable */
    record Call(long taskId, byte[] callable) implements PoolMessage {
        static final byte KIND = 4;

        @Override
        public byte kind() {
            return KIND;
        }

        @Override
        public void writeFields(ByteSink out) {
            out.putLong(taskId);
            out.putBytes(callable);
        }
    }

    /**
     * Apply a function to a chunk of items.
     *
     * @param taskId the task
     * @param fnId the function, defined before
     * @param spread whether each item is a pair to spread over a two-argument function (starmap)
     * @param items the items, encoded by {@link Items}
     */
    record Chunk(long taskId, int fnId, boolean spread, byte[] items) implements PoolMessage {
        static final byte KIND = 5;

        @Override
        public byte kind() {
            return KIND;
        }

        @Override
        public void writeFields(ByteSink out) {
            out.putLong(taskId);
            out.putInt(fnId);
            out.putByte(spread ? 1 : 0);
            out.putBytes(items);
        }
    }

    /**
     * Consecutive chunks of one function for one worker, in one frame: equivalent to that many {@link Chunk}s, each
     * a task of its own (answered on its own, cancellable on its own). The first {@code count} entries of the arrays.
     *
     * @param fnId the function, defined before
     * @param spread whether each item is a pair (starmap)
     * @param count how many chunks
     * @param taskIds their tasks
     * @param items their items, each encoded by {@link Items}
     */
    record Chunks(int fnId, boolean spread, int count, long[] taskIds, byte[][] items) implements PoolMessage {
        static final byte KIND = 12;

        @Override
        public byte kind() {
            return KIND;
        }

        @Override
        public void writeFields(ByteSink out) {
            out.putInt(fnId);
            out.putByte(spread ? 1 : 0);
            out.putInt(count);
            for (int i = 0; i < count; i++) {
                out.putLong(taskIds[i]);
                out.putBytes(items[i]);
            }
        }

        /** @return chunk {@code i} as the CHUNK it stands for */
        public Chunk chunk(int i) {
            return new Chunk(taskIds[i], fnId, spread, items[i]);
        }

        static Chunks read(FrameReader in) throws IOException {
            int fnId = in.getInt();
            boolean spread = in.getByte() != 0;
            int n = in.getInt();
            // each entry takes at least 12 bytes: a count that the frame cannot hold is corrupt
            if (n < 0 || n > in.length() / 12) {
                throw new StreamCorruptedException("CHUNKS count out of range: count=" + n + " length=" + in.length());
            }
            long[] ids = new long[n];
            byte[][] items = new byte[n][];
            for (int i = 0; i < n; i++) {
                ids[i] = in.getLong();
                items[i] = in.getBytes();
            }
            return new Chunks(fnId, spread, n, ids, items);
        }
    }

    /** A task is cancelled. @param taskId the task */
    record Cancel(long taskId) implements PoolMessage {
        static final byte KIND = 6;

        @Override
        public byte kind() {
            return KIND;
        }

        @Override
        public void writeFields(ByteSink out) {
            out.putLong(taskId);
        }
    }

    /** A worker's answer to a task: every task gets exactly one, in the order the tasks were sent. */
    sealed interface Reply extends PoolMessage {
        /** @return the task answered */
        long taskId();

        /** @return how long the worker ran the task (0 for one it dropped) */
        long busyNanos();
    }

    /**
     * A task's value.
     *
     * @param taskId the task
     * @param value the encoded value ({@link Items} for a chunk)
     * @param busyNanos how long the worker ran it
     */
    record Result(long taskId, byte[] value, long busyNanos) implements Reply {
        static final byte KIND = 7;

        @Override
        public byte kind() {
            return KIND;
        }

        @Override
        public void writeFields(ByteSink out) {
            out.putLong(taskId);
            out.putLong(busyNanos);
            out.putBytes(value);
        }
    }

    /**
     * A task threw.
     *
     * @param taskId the task
     * @param item the index in its chunk of the item that failed, or -1
     * @param error the encoded exception
     * @param busyNanos how long the worker ran it
     */
    record Failure(long taskId, int item, byte[] error, long busyNanos) implements Reply {
        static final byte KIND = 8;

        @Override
        public byte kind() {
            return KIND;
        }

        @Override
        public void writeFields(ByteSink out) {
            out.putLong(taskId);
            out.putInt(item);
            out.putLong(busyNanos);
            out.putBytes(error);
        }
    }

    /** A cancelled task was dropped. @param taskId the task */
    record Dropped(long taskId) implements Reply {
        static final byte KIND = 9;

        @Override
        public long busyNanos() {
            return 0;
        }

        @Override
        public byte kind() {
            return KIND;
        }

        @Override
        public void writeFields(ByteSink out) {
            out.putLong(taskId);
        }
    }

    /**
     * The values of consecutive tasks that ended normally, in the order they were sent: the first {@code count}
     * entries of each array. Equivalent to that many {@link Result}s, in one frame.
     *
     * @param count how many tasks
     * @param taskIds the tasks
     * @param busyNanos how long the worker ran each
     * @param values their encoded values
     */
    record Results(int count, long[] taskIds, long[] busyNanos, byte[][] values) implements PoolMessage {
        static final byte KIND = 11;

        @Override
        public byte kind() {
            return KIND;
        }

        @Override
        public void writeFields(ByteSink out) {
            out.putInt(count);
            for (int i = 0; i < count; i++) {
                out.putLong(taskIds[i]);
                out.putLong(busyNanos[i]);
                out.putBytes(values[i]);
            }
        }

        static Results read(FrameReader in) throws IOException {
            int n = in.getInt();
            // each entry takes at least 20 bytes: a count that the frame cannot hold is corrupt
            if (n < 0 || n > in.length() / 20) {
                throw new StreamCorruptedException("RESULTS count out of range: count=" + n + " length=" + in.length());
            }
            long[] ids = new long[n];
            long[] busy = new long[n];
            byte[][] values = new byte[n][];
            for (int i = 0; i < n; i++) {
                ids[i] = in.getLong();
                busy[i] = in.getLong();
                values[i] = in.getBytes();
            }
            return new Results(n, ids, busy, values);
        }
    }

    /** The initializer threw. @param error the encoded exception */
    record InitFailed(byte[] error) implements PoolMessage {
        static final byte KIND = 10;

        @Override
        public byte kind() {
            return KIND;
        }

        @Override
        public void writeFields(ByteSink out) {
            out.putBytes(error);
        }
    }

    /**
     * Decodes the payload of one frame.
     *
     * @param bytes the buffer that holds it
     * @param offset where it starts
     * @param length its length
     * @return the message
     * @throws IOException if the payload is not a pool message
     */
    static PoolMessage decode(byte[] bytes, int offset, int length) throws IOException {
        FrameReader in = new FrameReader(bytes, offset, length);
        byte kind = in.getByte();
        switch (kind) {
            case Hello.KIND:
                return new Hello(in.getInt(), in.getLong(), in.getLong());
            case Define.KIND:
                return new Define(in.getInt(), in.getBytes());
            case Undefine.KIND:
                return new Undefine(in.getInt());
            case Call.KIND:
                return new Call(in.getLong(), in.getBytes());
            case Chunk.KIND:
                return new Chunk(in.getLong(), in.getInt(), in.getByte() != 0, in.getBytes());
            case Cancel.KIND:
                return new Cancel(in.getLong());
            case Result.KIND: {
                long id = in.getLong();
                long busy = in.getLong();
                return new Result(id, in.getBytes(), busy);
            }
            case Failure.KIND: {
                long id = in.getLong();
                int item = in.getInt();
                long busy = in.getLong();
                return new Failure(id, item, in.getBytes(), busy);
            }
            case Dropped.KIND:
                return new Dropped(in.getLong());
            case InitFailed.KIND:
                return new InitFailed(in.getBytes());
            case Results.KIND:
                return Results.read(in);
            case Chunks.KIND:
                return Chunks.read(in);
            default:
                throw new StreamCorruptedException("unknown pool message: kind=" + kind + " length=" + in.length());
        }
    }
}
