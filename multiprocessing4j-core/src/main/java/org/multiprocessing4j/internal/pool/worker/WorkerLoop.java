package org.multiprocessing4j.internal.pool.worker;

import java.io.IOException;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.function.SerializableRunnable;
import org.multiprocessing4j.internal.os.SelfPid;
import org.multiprocessing4j.internal.pool.protocol.PoolChannel;
import org.multiprocessing4j.internal.pool.protocol.PoolMessage;
import org.multiprocessing4j.internal.pool.protocol.RunMark;

/**
 * The target of every pool worker: a {@link org.multiprocessing4j.ChildProcess} runs it in the worker's JVM.
 *
 * <pre>
 * Overview (inside the worker):
 *  1. connect to the pool's socket (the path and the pool's token travel in this object); the token leaves
 *     with the first message
 *  2. run the pool's initializer, if any; if it throws, send INIT_FAILED with the exception and exit with 1
 *  3. send HELLO (slot, generation, pid): from now on the pool sends tasks
 *  4. serve tasks ({@link WorkerSession}) until the pool closes the socket, or maxTasksPerChild are done
 *  5. exit with 0
 * </pre>
 */
public final class WorkerLoop implements SerializableRunnable {
    private static final long serialVersionUID = 1L;

    private final String socketPath;
    private final byte[] token;
    private final int slot;
    private final long generation;
    private final SerializableRunnable initializer;
    private final int maxTasks;
    /** The file of the worker's RunMark, or {@code null}. */
    private final String markPath;

    /**
     * @param socketPath the pool's listener
     * @param token the pool's token, which admits this worker's connection (it travels only inside this object)
     * @param slot the worker's slot in the pool
     * @param generation how many workers the slot had before this one
     * @param initializer run once before the first task, or {@code null}
     * @param maxTasks tasks after which the worker exits, or 0 for no limit
     * @param markPath the file of the page where the worker says which task it runs, or {@code null}
     */
    public WorkerLoop(String socketPath, byte[] token, int slot, long generation, SerializableRunnable initializer,
                      int maxTasks, String markPath) {
        this.socketPath = socketPath;
        this.token = token.clone();
        this.slot = slot;
        this.generation = generation;
        this.initializer = initializer;
        this.maxTasks = maxTasks;
        this.markPath = markPath;
    }

    @Override
    public void run() throws IOException {
        PoolChannel channel = PoolChannel.connect(socketPath, token);
        if (initializer != null) {
            try {
                initializer.run();
            } catch (Throwable t) {
                System.err.println("pool worker " + Multiprocessing.currentProcess().name() + ": initializer failed:");
                t.printStackTrace();
                channel.sendNow(new PoolMessage.InitFailed(Errors.encode(t)));
                channel.close();
                System.exit(1);
            }
        }
        channel.sendNow(new PoolMessage.Hello(slot, generation, SelfPid.get()));
        new WorkerSession(channel, maxTasks, markPath == null ? null : RunMark.open(markPath)).serve();
        channel.close();
        System.exit(0);
    }
}
