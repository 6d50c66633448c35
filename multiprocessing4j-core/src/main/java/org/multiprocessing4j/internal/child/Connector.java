package org.multiprocessing4j.internal.child;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import org.multiprocessing4j.internal.control.Bootstrap;
import org.multiprocessing4j.internal.control.ControlChannel;

/**
 * Connects a child to its parent in a thread of its own, so that the child's main thread reads its bootstrap line
 * and warms up meanwhile: on these machines the first Unix-domain socket of a JVM costs ~10-15 ms (socket, selector
 * and security classes initialize) and so does the first decoding of a process (object streams, the lambda
 * machinery), and a fresh JVM has a second core to spare for one of them.
 *
 * <p>Steps: open the socket at once; connect when the bootstrap line names the parent ({@link #connectTo}); hand-shake
 * when {@link #allowHandshake()} says so (the parent treats the child as started once the hand-shake ends, so the
 * child must be ready for the parent's signals by then). No lambda here: the first lambda of a JVM initializes the
 * invoke machinery, which the main thread's warm-up pays for in parallel. If connecting fails (the parent is gone),
 * this thread halts the JVM with 2 at once.
 */
final class Connector extends Thread {
    private static final int BOOTSTRAP = 0;
    private static final int HANDSHAKE = 1;
    private static final int DONE = 2;

    private Bootstrap boot;
    private boolean handshakeAllowed;
    private boolean done;
    private ControlChannel channel;
    private Exception failure;
    private ExitReporter reporter;
    private boolean daemon;
    private boolean attached;

    private Connector() {
        super("mp4j-connect");
        setDaemon(true);
    }

    /** @return a connector that has begun opening its socket */
    static Connector begin() {
        Connector c = new Connector();
        c.start();
        return c;
    }

    /** Names the parent to connect to. */
    synchronized void connectTo(Bootstrap b) {
        boot = b;
        notifyAll();
    }

    /** Lets the hand-shake go ahead: the child is ready for the parent's signals. */
    synchronized void allowHandshake() {
        handshakeAllowed = true;
        notifyAll();
    }

    /**
     * For a child that runs its process before it has connected: once connected (now, if it is), attaches
     * {@code r} to the channel and starts the parent watch, armed with {@code isDaemon}, in the connector's thread.
     */
    void attachWhenConnected(ExitReporter r, boolean isDaemon) {
        synchronized (this) {
            reporter = r;
            daemon = isDaemon;
        }
        attachIfDue();
    }

    /** Attaches the reporter once both the channel and the reporter are there, whichever thread comes second. */
    private void attachIfDue() {
        ControlChannel c;
        ExitReporter r;
        boolean d;
        synchronized (this) {
            if (attached || !done || channel == null || reporter == null) {
                return;
            }
            attached = true;
            c = channel;
            r = reporter;
            d = daemon;
        }
        r.attach(c);
        ParentWatch.prepare(c).arm(d);
    }

    /**
     * @return the authenticated channel
     * @throws IOException if connecting or the hand-shake failed
     */
    ControlChannel channel() throws IOException {
        synchronized (this) {
            await(DONE);
            if (failure instanceof IOException) {
                throw (IOException) failure;
            }
            if (failure != null) {
                throw new IOException(failure.toString(), failure);
            }
            return channel;
        }
    }

    @Override
    public void run() {
        ControlChannel c = null;
        Exception f = null;
        try {
            SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
            Bootstrap b;
            synchronized (this) {
                await(BOOTSTRAP);
                b = boot;
            }
            c = ControlChannel.connect(socket, b.socketPath(), b.secret(), new Runnable() {
                @Override
                public void run() {
                    synchronized (Connector.this) {
                        await(HANDSHAKE);
                    }
                }
            });
        } catch (IOException | RuntimeException e) {
            if (runsOnWithoutParent()) {
                System.err.println("multiprocessing4j child: cannot reach the parent (" + e.getMessage()
                        + "): it is gone; this non-daemon process runs on without it, as in Python");
                ExitReporter.abandonChannel(); // after the message: the exit hook may be waiting to end the JVM
            } else {
                // at once, not after the main thread's warm-up: a JVM whose parent died while it started must not
                // linger
                System.err.println("multiprocessing4j child: cannot reach the parent: " + e.getMessage());
                Runtime.getRuntime().halt(2);
            }
            f = e;
        }
        synchronized (this) {
            channel = c;
            failure = f;
            done = true;
            notifyAll();
        }
        attachIfDue();
    }

    /**
     * Whether a failed connection leaves this JVM running: only for a non-daemon process given in the bootstrap line,
     * whose task may have begun (a daemon ends with its parent; a JVM that has no process yet has nothing to run).
     */
    private boolean runsOnWithoutParent() {
        Bootstrap b;
        synchronized (this) {
            b = boot;
        }
        try {
            return b != null && b.mode() == Bootstrap.Mode.DIRECT && !b.assign().daemon();
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits, holding this object's monitor, until the step has come; keeps an interrupt for later. */
    private void await(int step) {
        boolean interrupted = false;
        while (!(step == BOOTSTRAP ? boot != null : step == HANDSHAKE ? handshakeAllowed : done)) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
