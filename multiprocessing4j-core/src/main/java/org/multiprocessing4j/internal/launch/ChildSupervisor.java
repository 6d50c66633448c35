package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.internal.Log;
import org.multiprocessing4j.internal.control.ControlMessage;
import org.multiprocessing4j.internal.control.ControlMessage.Exiting;
import org.multiprocessing4j.internal.resource.RuntimeDir;
import org.multiprocessing4j.internal.resource.SegmentSweeper;

/**
 * The parent's side of one running child: a thread that reads the child's control channel until it closes, then
 * reaps the JVM and settles the exit code. For a non-daemon child the thread is a non-daemon thread, so the main
 * program, once its {@code main} returns, waits for the child to end (Python's exit handler); for a daemon child
 * it is a daemon thread, and the child is terminated when this JVM exits.
 */
public final class ChildSupervisor implements Runnable {
    private final LaunchedJvm jvm;
    private final String name;
    private final String owner;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final Thread reader;
    private volatile int signalled;
    private volatile boolean orderly;

    ChildSupervisor(LaunchedJvm jvm, boolean daemon, String name, String owner) {
        this.jvm = jvm;
        this.name = name;
        this.owner = owner;
        this.reader = new Thread(this, "mp4j-supervisor-" + name);
        reader.setDaemon(daemon);
    }

    void startReading() {
        reader.start();
    }

    @Override
    public void run() {
        try {
            while (jvm.channel() != null) {
                ControlMessage m = jvm.channel().receive();
                if (m instanceof Exiting) {
                    Exiting e = (Exiting) m;
                    if (e.reason() == ControlMessage.Reason.SIGNALLED) {
                        signalled = e.code();
                    } else if (e.reason() == ControlMessage.Reason.ORDERLY) {
                        orderly = true;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // end of stream: the child has ended (or is ending)
        }
        int os = reap();
        // before the exit is settled, so that a join() sees the child's abandoned shared memory reclaimed, and no
        // socket file of a child that could not delete its own (killed) is left
        SegmentSweeper.afterChildEnded();
        RuntimeDir.deleteAbandoned(pid());
        jvm.closeChannel();
        jvm.stderr().tail(200);
        int code = ExitStatus.resolve(os, signalled, orderly);
        Log.event(owner, name + " pid=" + pid() + " ended: exitCode=" + code + " osExitCode=" + os);
        Launchers.ended(this); // before the exit settles: a start() right after join() counts this one ended
        exit.complete(code);
    }

    private int reap() {
        while (true) {
            try {
                return jvm.process().waitFor();
            } catch (InterruptedException e) {
                // only the library owns this thread: keep reaping
            }
        }
    }

    /** @return the child's pid */
    public long pid() {
        return jvm.process().pid();
    }

    /** @return whether the exit code is not settled yet */
    public boolean isAlive() {
        return !exit.isDone();
    }

    /** @return the exit code, or {@code null} while the child runs; settles it if the JVM has just exited */
    public Integer exitCode() {
        if (!exit.isDone() && !jvm.process().isAlive()) {
            try {
                exit.get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // reported as still running
            }
        }
        return exit.getNow(null);
    }

    /** @return a future completed with the exit code */
    public CompletableFuture<Integer> exit() {
        return exit.copy();
    }

    /**
     * Waits for the child to end.
     *
     * @throws InterruptedException if interrupted
     */
    public void awaitExit() throws InterruptedException {
        try {
            exit.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits at most {@code timeout} for the child to end.
     *
     * @param timeout the longest wait
     * @return whether it has ended
     * @throws InterruptedException if interrupted
     */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        try {
            exit.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends SIGTERM. */
    public void terminate() {
        if (isAlive()) {
            jvm.process().destroy();
        }
    }

    /** Sends SIGKILL. */
    public void kill() {
        if (isAlive()) {
            jvm.process().destroyForcibly();
        }
    }

    /** Releases the channel; the reader has already ended when the child has. */
    public void close() {
        jvm.closeChannel();
    }
}
