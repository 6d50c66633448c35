package org.multiprocessing4j.internal.pool;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Consumer;
import org.multiprocessing4j.pool.Progress;

/**
 * A console progress bar, redrawn in place with a carriage return:
 * {@code [##########----------]  512/1024  50%  1.2k items/s  0:00:03 left}.
 */
public final class ProgressBar implements Consumer<Progress> {
    private static final int WIDTH = 30;

    private final PrintStream out;

    /** @param out where to draw */
    public ProgressBar(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void accept(Progress p) {
        StringBuilder line = new StringBuilder(100).append('\r');
        if (p.total() >= 0) {
            int filled = p.total() == 0 ? WIDTH : (int) (WIDTH * p.done() / p.total());
            line.append('[').append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("] ")
                    .append(p.done()).append('/').append(p.total()).append(' ')
                    .append(p.total() == 0 ? 100 : 100 * p.done() / p.total()).append('%');
        } else {
            line.append(p.done()).append(" items");
        }
        line.append("  ").append(rate(p.rate())).append(" items/s");
        Duration left = p.remaining();
        if (left != null && !p.finished()) {
            line.append("  ").append(clock(left)).append(" left");
        } else {
            line.append("  ").append(clock(p.elapsed())).append(" elapsed");
        }
        if (p.finished()) {
            line.append('\n');
        }
        out.print(line);
        out.flush();
    }

    private static String rate(double r) {
        return r >= 1e6 ? String.format("%.1fM", r / 1e6) : r >= 1e3 ? String.format("%.1fk", r / 1e3)
                : String.format("%.1f", r);
    }

    private static String clock(Duration d) {
        long s = d.toSeconds();
        return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
