package org.multiprocessing4j.examples;

import org.multiprocessing4j.ChildProcess;

/**
 * A process defined as a class (the seed's {@code class ClockProcess(multiprocessing.Process)}): it overrides
 * {@link #run()} instead of taking a target. {@code start()} serializes the whole object, so {@link #interval}
 * travels to the child, where {@code run()} is called.
 */
public class ClockProcess extends ChildProcess {
    private static final long serialVersionUID = 1L;

    /** Seconds between the lines; a non-transient field, so the child gets it. */
    private final double interval;

    /**
     * Makes a process that prints the time five times.
     *
     * @param interval seconds between the lines
     */
    public ClockProcess(double interval) {
        super();
        this.interval = interval;
    }

    /**
     * Prints the time five times, {@code interval} seconds apart; in the child after {@code start()}, or in the
     * calling thread when called directly.
     *
     * @throws Exception if interrupted while sleeping (an {@code InterruptedException})
     */
    @Override
    public void run() throws Exception {
        int n = 5;
        while (n > 0) {
            System.out.println("the time is " + Clock.ctime());
            Clock.sleep(interval);
            n -= 1;
        }
    }
}
