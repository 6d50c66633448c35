package org.multiprocessing4j.internal.pool;

/**
 * Where the end of one task goes. Called once per task, outside the engine's lock, in a thread of the pool (a
 * worker's reader, the timer, or the thread that cancelled or terminated).
 */
interface Outcome {
    /** The task returned; {@code value} is encoded (a CALL's by the codec, a CHUNK's by {@code Items}). */
    void succeeded(byte[] value);

    /**
     * The task failed: it threw in the worker ({@code item} is the index in a chunk of the item that failed, or
     * -1), its worker died ({@code WorkerLostException}), it timed out, or the pool broke or stopped.
     */
    void failed(Throwable error, int item);

    /** The task was cancelled, or the pool was terminated before it ran. */
    void cancelled();
}
