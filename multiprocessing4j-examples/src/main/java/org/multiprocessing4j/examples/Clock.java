package org.multiprocessing4j.examples;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** What the examples need of Python's {@code time} module: {@code time.ctime()} and {@code time.sleep(seconds)}. */
final class Clock {
    /** The format of Python's {@code time.ctime()}: {@code Mon Feb 18 19:42:49 2019}, the day padded with a space. */
    private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy",
            Locale.ENGLISH);

    private Clock() {
    }

    /** @return the local time as Python's {@code time.ctime()} prints it */
    static String ctime() {
        return CTIME.format(LocalDateTime.now());
    }

    /**
     * Sleeps for a number of seconds, fractions allowed, as Python's {@code time.sleep}.
     *
     * @param seconds how long
     * @throws InterruptedException if the thread is interrupted while it sleeps
     */
    static void sleep(double seconds) throws InterruptedException {
        Thread.sleep(Duration.ofNanos((long) (seconds * 1e9)).toMillis());
    }

    /**
     * Reads an optional interval in seconds from a program's arguments.
     *
     * @param args the arguments of {@code main}
     * @param fallback the interval when there is no argument
     * @return the interval
     * @throws IllegalArgumentException if the argument is not a non-negative number
     */
    static double seconds(String[] args, double fallback) {
        if (args.length == 0) {
            return fallback;
        }
        try {
            double seconds = Double.parseDouble(args[0]);
            if (seconds >= 0 && seconds <= 3600) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("the interval is a number of seconds from 0 to 3600: arg=" + args[0]);
    }
}
