package org.multiprocessing4j.internal.child;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.internal.control.ControlChannel;
import org.multiprocessing4j.internal.control.ControlMessage.Exiting;
import org.multiprocessing4j.internal.control.ControlMessage.Reason;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Tells the parent how this JVM is ending, since the exit code alone cannot (the JDK reports a death by signal N
 * as 128 + N, the same as {@code System.exit(128 + N)}): SIGTERM, SIGINT and SIGHUP are reported as signals before
 * the JVM runs its shutdown hooks and exits with 128 + N, as it would anyway; a shutdown hook reports that the JVM
 * exits in order, so its exit code is the real one.
 */
final class ExitReporter {
    private static final String[] SIGNALS = {"TERM", "INT", "HUP"};
    /** How long an exit hook waits for a connection still being made: the parent's start time-out is 60 s. */
    private static final long AWAIT_CHANNEL_MILLIS = 60_000;

    private static volatile boolean exiting;
    /** Set when the connection to the parent failed for good: reports have nobody to go to. */
    private static volatile boolean abandoned;
    private static volatile ExitReporter installed;

    private final List<Exiting> pending = new ArrayList<>();
    private volatile ControlChannel channel;

    private ExitReporter() {
    }

    /**
     * Installs the signal handlers and the shutdown hook. Called in a child's {@code main} before its connection
     * authenticates ({@link Connector#allowHandshake()}): the parent's {@code start()} returns only after the
     * hand-shake, so every signal the parent sends afterwards meets these handlers and not the JVM's own.
     */
    static ExitReporter install() {
        return install(false);
    }

    /**
     * As {@link #install()}; with {@code awaitChannel}, for a child that runs its process before it has connected,
     * the exit hook waits until the reports are sent (the connector attaches the channel, or halts the JVM if it
     * cannot connect), at most {@value #AWAIT_CHANNEL_MILLIS} ms: the parent then learns how the process ended.
     */
    static ExitReporter install(boolean awaitChannel) {
        // classes, not lambdas: this runs before the hand-shake, and the first lambda of a JVM initializes the invoke
        // machinery (~10 ms of CPU), which the warm-up pays for in parallel
        ExitReporter reporter = new ExitReporter();
        SignalHandler handler = new SignalHandler() {
            @Override
            public void handle(Signal signal) {
                reporter.report(Reason.SIGNALLED, signal.getNumber());
                System.exit(128 + signal.getNumber());
            }
        };
        for (String name : SIGNALS) {
            try {
                Signal.handle(new Signal(name), handler);
            } catch (IllegalArgumentException e) {
                // the JVM runs with -Xrs, or the platform lacks the signal: the exit code is all we get
            }
        }
        Thread hook = new Thread(new Runnable() {
            @Override
            public void run() {
                exiting = true;
                reporter.report(Reason.ORDERLY, 0);
                if (awaitChannel) {
                    reporter.awaitChannel();
                }
                // wakes ParentWatch out of its blocking read (HotSpot's exit would wait 300 ms for it); close(), not
                // shutdownInput(), which would initialize sun.nio.ch.Net and InetAddress (~2 ms) just for this
                ControlChannel c = reporter.channel;
                if (c != null) {
                    c.close();
                }
            }
        }, "mp4j-exit-report");
        Runtime.getRuntime().addShutdownHook(hook);
        installed = reporter;
        return reporter;
    }

    /** @return whether this JVM is running its shutdown hooks */
    static boolean exiting() {
        return exiting;
    }

    /**
     * Reports from now on over {@code c}, after what was reported before: the parent's {@code start()} returns as soon
     * as it has the hand-shake's last frame, so a signal may arrive before this call. Queued reports go first, in
     * order, so the parent sees SIGNALLED before ORDERLY; if the JVM ends before this call, none is sent, and the
     * parent reads the exit code alone (128 + N with no report: a death by signal N, which it was).
     */
    synchronized void attach(ControlChannel c) {
        this.channel = c;
        for (Exiting m : pending) {
            send(c, m);
        }
        pending.clear();
        notifyAll();
    }

    /** The connection to the parent failed for good: an exit hook waiting for it goes on at once. */
    static void abandonChannel() {
        abandoned = true;
        ExitReporter r = installed;
        if (r != null) {
            synchronized (r) {
                r.notifyAll();
            }
        }
    }

    /** Waits until {@link #attach} has sent what was reported before, the connection is abandoned, or the time-out. */
    private synchronized void awaitChannel() {
        long deadline = System.nanoTime() + AWAIT_CHANNEL_MILLIS * 1_000_000L;
        long left;
        while (channel == null && !abandoned && (left = deadline - System.nanoTime()) > 0) {
            try {
                wait(left / 1_000_000L + 1);
            } catch (InterruptedException e) {
                return; // the hook goes on: the parent reads the exit code alone
            }
        }
    }

    synchronized void report(Reason reason, int code) {
        Exiting m = new Exiting(reason, code);
        if (channel == null) {
            pending.add(m);
        } else {
            send(channel, m);
        }
    }

    private static void send(ControlChannel c, Exiting m) {
        try {
            c.send(m);
        } catch (IOException e) {
            // the parent is gone: nobody to tell
        }
    }
}
