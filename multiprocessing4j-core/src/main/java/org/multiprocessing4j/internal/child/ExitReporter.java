package org.multiprocessing4j.internal.child;

import java.io.IOException;
import org.multiprocessing4j.internal.control.ControlChannel;
import org.multiprocessing4j.internal.control.ControlMessage.Exiting;
import org.multiprocessing4j.internal.control.ControlMessage.Reason;
import sun.misc.Signal;

/**
 * Tells the parent how this JVM is ending, since the exit code alone cannot (the JDK reports a death by signal N
 * as 128 + N, the same as {@code System.exit(128 + N)}): SIGTERM, SIGINT and SIGHUP are reported as signals before
 * the JVM runs its shutdown hooks and exits with 128 + N, as it would anyway; a shutdown hook reports that the JVM
 * exits in order, so its exit code is the real one.
 */
final class ExitReporter {
    private static final String[] SIGNALS = {"TERM", "INT", "HUP"};

    private static volatile boolean exiting;

    private final ControlChannel channel;

    private ExitReporter(ControlChannel channel) {
        this.channel = channel;
    }

    static ExitReporter install(ControlChannel channel) {
        ExitReporter reporter = new ExitReporter(channel);
        for (String name : SIGNALS) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    reporter.report(Reason.SIGNALLED, signal.getNumber());
                    System.exit(128 + signal.getNumber());
                });
            } catch (IllegalArgumentException e) {
                // the JVM runs with -Xrs, or the platform lacks the signal: the exit code is all we get
            }
        }
        Thread hook = new Thread(() -> {
            exiting = true;
            reporter.report(Reason.ORDERLY, 0);
            // wakes ParentWatch out of its blocking read (HotSpot's exit would wait 300 ms for it); close(), not
            // shutdownInput(), which would initialize sun.nio.ch.Net and InetAddress (~2 ms) just for this
            channel.close();
        }, "mp4j-exit-report");
        Runtime.getRuntime().addShutdownHook(hook);
        return reporter;
    }

    /** @return whether this JVM is running its shutdown hooks */
    static boolean exiting() {
        return exiting;
    }

    void report(Reason reason, int code) {
        try {
            channel.send(new Exiting(reason, code));
        } catch (IOException e) {
            // the parent is gone: nobody to tell
        }
    }
}
