package org.multiprocessing4j.internal.launch;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Copies a child's stderr to this JVM's file descriptor 2 as it comes (so it appears on the console, as an
 * inherited stderr would), keeping its last few kilobytes for the error message of a child that fails to start.
 */
final class StderrPump implements Runnable {
    private static final int TAIL = 4096;
    private static final OutputStream CONSOLE = new FileOutputStream(FileDescriptor.err);

    private final InputStream from;
    private final byte[] tail = new byte[TAIL];
    private final Thread thread;
    private long total;

    private StderrPump(InputStream from, String name) {
        this.from = from;
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
    }

    static StderrPump start(Process process) {
        StderrPump pump = new StderrPump(process.getErrorStream(), "mp4j-stderr-" + process.pid());
        pump.thread.start();
        return pump;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[8192];
        try (from) {
            int n;
            while ((n = from.read(buffer)) > 0) {
                CONSOLE.write(buffer, 0, n);
                remember(buffer, n);
            }
        } catch (IOException e) {
            // the child's end closed
        }
    }

    private synchronized void remember(byte[] buffer, int n) {
        for (int i = 0; i < n; i++) {
            tail[(int) (total++ % TAIL)] = buffer[i];
        }
    }

    /** Waits up to {@code millis} for the child's stderr to end, then returns its last few kilobytes. */
    String tail(long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            int size = (int) Math.min(total, TAIL);
            byte[] out = new byte[size];
            for (int i = 0; i < size; i++) {
                out[i] = tail[(int) ((total - size + i) % TAIL)];
            }
            return new String(out, StandardCharsets.UTF_8).strip();
        }
    }
}
