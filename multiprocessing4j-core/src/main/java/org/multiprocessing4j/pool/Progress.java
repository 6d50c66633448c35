package org.multiprocessing4j.pool;

import java.time.Duration;
import java.util.function.Consumer;
import org.multiprocessing4j.internal.pool.ProgressBar;

/**
 * How far a {@code map} or {@code imap} call has got: given to a progress listener as results arrive (at most a
 * few times a second, and once at the end).
 *
 * @param done items whose results have arrived
 * @param total all items, or -1 when not known (an {@code imap} over an {@code Iterable} that is not a
 *     {@code Collection})
 * @param elapsed time since the call began
 */
public record Progress(long done, long total, Duration elapsed) {

    /** @return items per second so far */
    public double rate() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : done / s;
    }

    /** @return the estimated time left, or {@code null} when the total or the rate is not known */
    public Duration remaining() {
        double rate = rate();
        if (total < 0 || rate <= 0) {
            return null;
        }
        return Duration.ofMillis((long) ((total - done) / rate * 1000));
    }

    /** @return whether every item is done (never, when the total is not known) */
    public boolean finished() {
        return total >= 0 && done >= total;
    }

    /**
     * A listener that draws a progress bar on {@code System.err}: items done, percentage, rate and time left,
     * redrawn in place, with a line break at the end.
     *
     * @return a new listener, for one call
     */
    public static Consumer<Progress> bar() {
        return new ProgressBar(System.err);
    }
}
