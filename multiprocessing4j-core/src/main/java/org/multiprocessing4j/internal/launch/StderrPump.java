package org.multiprocessing4j.internal.launch;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.multiprocessing4j.internal.control.Bootstrap;

/**
 * Copies a child's stderr to this JVM's file descriptor 2 as it comes (so it appears on the console, as an
 * inherited stderr would), keeping its last few kilobytes for the error message of a child that fails to start.
 * For a child given its process in its bootstrap line, it also looks for the child's {@link Bootstrap#RUNNING_MARKER}
 * (which only the child's own code writes, after the JVM's start-up messages), takes it out of the stream and
 * records that the child ran ({@link #sawMarker}).
 */
final class StderrPump implements Runnable {
    private static final int TAIL = 4096;
    private static final OutputStream CONSOLE = new FileOutputStream(FileDescriptor.err);
    private static final byte[] MARKER = Bootstrap.RUNNING_MARKER;

    private final InputStream from;
    private final OutputStream console;
    private final byte[] tail = new byte[TAIL];
    private final Thread thread;
    private long total;
    /** How many bytes of the marker the stream has matched; -1 once it is found or not looked for. */
    private int matched;
    private volatile boolean sawMarker;

    private StderrPump(InputStream from, OutputStream console, String name, boolean lookForMarker) {
        this.from = from;
        this.console = console;
        this.thread = new Thread(this, name);
        this.matched = lookForMarker ? 0 : -1;
        thread.setDaemon(true);
    }

    static StderrPump start(Process process, boolean lookForMarker) {
        return copying(process.getErrorStream(), CONSOLE, "mp4j-stderr-" + process.pid(), lookForMarker);
    }

    /** Starts copying {@code from} to {@code to} in a daemon thread of that name. */
    static StderrPump copying(InputStream from, OutputStream to, String name, boolean lookForMarker) {
        StderrPump pump = new StderrPump(from, to, name, lookForMarker);
        pump.thread.start();
        return pump;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[8192];
        try (from) {
            int n;
            while ((n = from.read(buffer)) > 0) {
                if (matched >= 0) {
                    n = takeOutMarker(buffer, n);
                }
                write(buffer, n);
            }
            if (matched > 0) {
                write(MARKER, matched); // the stream ended inside what looked like the marker
            }
        } catch (IOException e) {
            // the child's end closed
        }
    }

    /**
     * Scans for the marker (its first byte, a NUL, occurs in it only once, so a mismatch restarts the match at the
     * current byte), removing it from {@code buffer}; bytes held back as a possible start of the marker that turn
     * out not to be are put back.
     *
     * @return how many bytes of {@code buffer} are to be written
     */
    private int takeOutMarker(byte[] buffer, int n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + MARKER.length);
        int i = 0;
        for (; i < n && matched >= 0; i++) {
            byte b = buffer[i];
            if (b == MARKER[matched]) {
                if (++matched == MARKER.length) {
                    matched = -1;
                    sawMarker = true;
                }
                continue;
            }
            out.write(MARKER, 0, matched);
            matched = b == MARKER[0] ? 1 : 0;
            if (matched == 0) {
                out.write(b);
            }
        }
        out.write(buffer, i, n - i);
        byte[] kept = out.toByteArray();
        if (kept.length > buffer.length) {
            write(kept, kept.length); // only when a held-back prefix and a full buffer come together
            return 0;
        }
        System.arraycopy(kept, 0, buffer, 0, kept.length);
        return kept.length;
    }

    private void write(byte[] bytes, int n) throws IOException {
        if (n > 0) {
            console.write(bytes, 0, n);
            remember(bytes, n);
        }
    }

    /** @return whether the child wrote the marker (only looked for when asked at {@link #start}) */
    boolean sawMarker() {
        return sawMarker;
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
