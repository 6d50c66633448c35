package org.multiprocessing4j.internal.child;

import java.io.IOException;
import org.multiprocessing4j.internal.control.ControlChannel;

/**
 * Watches the control channel for the parent's end: the channel closes the moment the parent's JVM ends, however
 * it ends ({@code kill -9} included). A daemon child then exits (its shutdown hooks get
 * {@value #HOOK_GRACE_MILLIS} ms, then it halts); a non-daemon child goes on, as in Python.
 */
final class ParentWatch implements Runnable {
    private static final long HOOK_GRACE_MILLIS = 1000;
    private static final int EXIT_PARENT_GONE = 128 + 15;

    private final ControlChannel channel;
    private final boolean daemon;

    private ParentWatch(ControlChannel channel, boolean daemon) {
        this.channel = channel;
        this.daemon = daemon;
    }

    static void start(ControlChannel channel, boolean daemon) {
        Thread t = new Thread(new ParentWatch(channel, daemon), "mp4j-parent-watch");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        try {
            while (true) {
                channel.receive();
            }
        } catch (IOException | RuntimeException e) {
            // the parent is gone
        }
        if (daemon && !ExitReporter.exiting()) {
            Thread halter = new Thread(() -> {
                try {
                    Thread.sleep(HOOK_GRACE_MILLIS);
                } catch (InterruptedException ignored) {
                    // halt now
                }
                Runtime.getRuntime().halt(EXIT_PARENT_GONE);
            }, "mp4j-parent-gone-halt");
            halter.setDaemon(true);
            halter.start();
            System.exit(EXIT_PARENT_GONE);
        }
    }
}
