package org.multiprocessing4j.examples;

import java.util.List;
import org.multiprocessing4j.ChildProcess;

/**
 * The seed's third program: a {@link ClockProcess}, a subclass of {@code ChildProcess} whose constructor takes the
 * interval and whose {@code run()} prints the time five times.
 *
 * <pre>
 * Python                      Java
 * p = ClockProcess(3)         ClockProcess p = new ClockProcess(3);
 * p.start()                   p.start();
 * </pre>
 * Usage: {@code ClockProcessExample [INTERVAL_SECONDS]} (default 1 s; the seed's is 3 s).
 */
public final class ClockProcessExample {
    static final double DEFAULT_INTERVAL = 1.0;

    private ClockProcessExample() {
    }

    /**
     * Runs the example.
     *
     * @param args an optional interval in seconds
     * @throws InterruptedException if interrupted while waiting for the child
     */
    public static void main(String[] args) throws InterruptedException {
        run(Clock.seconds(args, DEFAULT_INTERVAL));
    }

    /**
     * Starts a {@link ClockProcess} and waits for it.
     *
     * @param interval seconds between the child's lines
     * @return the child, ended
     * @throws InterruptedException if interrupted while waiting for the child
     */
    static List<ChildProcess> run(double interval) throws InterruptedException {
        ClockProcess p = new ClockProcess(interval);
        p.start();
        // the seed ends here and Python joins the child at exit; we join so that RunAll can go on
        p.join();
        return List.of(p);
    }
}
