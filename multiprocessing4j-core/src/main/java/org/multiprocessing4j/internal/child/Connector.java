package org.multiprocessing4j.internal.child;

import java.io.IOException;
import org.multiprocessing4j.internal.control.Bootstrap;
import org.multiprocessing4j.internal.control.ControlChannel;

/**
 * Connects a child to its parent in a thread of its own, so that the child's main thread warms up meanwhile: on
 * these machines the first Unix-domain socket of a JVM costs ~10-15 ms (socket, selector and security classes
 * initialize) and so does the first decoding of a process (object streams, the lambda machinery), and a fresh JVM
 * has a second core to spare for one of them.
 *
 * <p>The hand-shake waits for {@link #allowHandshake()}: the parent treats the child as started once it ends, so the
 * child must be ready for the parent's signals by then. No lambda here: the first lambda of a JVM initializes the
 * invoke machinery, which the main thread's warm-up pays for in parallel.
 */
final class Connector extends Thread {
    private final Bootstrap boot;
    private boolean handshakeAllowed;
    private boolean done;
    private ControlChannel channel;
    private Exception failure;

    private Connector(Bootstrap boot) {
        super("mp4j-connect");
        this.boot = boot;
        setDaemon(true);
    }

    /** Starts connecting to the parent named by {@code boot}. */
    static Connector start(Bootstrap boot) {
        Connector c = new Connector(boot);
        c.start();
        return c;
    }

    @Override
    public void run() {
        ControlChannel c = null;
        Exception f = null;
        try {
            c = ControlChannel.connect(boot.socketPath(), boot.secret(), new Runnable() {
                @Override
                public void run() {
                    awaitAllowed();
                }
            });
        } catch (IOException | RuntimeException e) {
            f = e;
        }
        synchronized (this) {
            channel = c;
            failure = f;
            done = true;
            notifyAll();
        }
    }

    /** Lets the hand-shake go ahead: the child is ready for the parent's signals. */
    synchronized void allowHandshake() {
        handshakeAllowed = true;
        notifyAll();
    }

    private synchronized void awaitAllowed() {
        boolean interrupted = false;
        while (!handshakeAllowed) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            interrupt();
        }
    }

    /**
     * @return the authenticated channel
     * @throws IOException if connecting or the hand-shake failed
     */
    synchronized ControlChannel channel() throws IOException {
        boolean interrupted = false;
        while (!done) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof IOException) {
            throw (IOException) failure;
        }
        if (failure != null) {
            throw new IOException(failure.toString(), failure);
        }
        return channel;
    }
}
