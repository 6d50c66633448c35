package org.multiprocessing4j.internal.child;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import org.multiprocessing4j.internal.control.ControlChannel;

/**
 * Watches the control channel for the parent's end: the channel closes the moment the parent's JVM ends, however
 * it ends ({@code kill -9} included). A daemon child then exits (its shutdown hooks get
 * {@value #HOOK_GRACE_MILLIS} ms, then it halts); a non-daemon child goes on, as in Python.
 *
 * <p>Its thread is started before the process arrives and waits to be {@linkplain #arm armed} once the process is
 * known: starting a thread costs ~0.1-1 ms in a JVM that has just started, which a JVM started ahead of time pays
 * while it waits rather than between receiving its process and running it.
 */
final class ParentWatch implements Runnable {
    private static final long HOOK_GRACE_MILLIS = 1000;
    private static final int EXIT_PARENT_GONE = 128 + 15;

    private final ControlChannel channel;
    private final Thread thread;
    private volatile Boolean daemon;

    private ParentWatch(ControlChannel channel) {
        this.channel = channel;
        this.thread = new Thread(this, "mp4j-parent-watch");
        thread.setDaemon(true);
    }

    /**
     * Starts the watch's thread, which waits for {@link #arm}; only then does it read the channel, which the caller
     * reads until then.
     */
    static ParentWatch prepare(ControlChannel channel) {
        ParentWatch watch = new ParentWatch(channel);
        watch.thread.start();
        return watch;
    }

    /** Lets the watch read the channel from now on; {@code daemon} says whether the parent's end ends this JVM. */
    void arm(boolean daemon) {
        this.daemon = daemon;
        LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        while (daemon == null) {
            LockSupport.park(this);
        }
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
