package org.multiprocessing4j.examples;

import java.util.List;
import org.multiprocessing4j.ChildProcess;

/**
 * The seed's first program: one child that prints the time five times, {@code interval} seconds apart, while the
 * parent prints the child's pid, name and liveness.
 *
 * <pre>
 * Python                                                  Java
 * p = multiprocessing.Process(target=worker, args=(3,))   ChildProcess p = new ChildProcess(() -> worker(3));
 * p.start()                                               p.start();
 * print "p.pid:", p.pid                                   System.out.println("p.pid: " + p.pid());
 * </pre>
 * Usage: {@code WorkerTime [INTERVAL_SECONDS]}; the seed sleeps 3 s, this program 1 s unless told otherwise, so
 * that it ends in about 5 s.
 */
public final class WorkerTime {
    static final double DEFAULT_INTERVAL = 1.0;

    private WorkerTime() {
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
     * Starts the child, prints its pid, name and liveness, and waits for it.
     *
     * @param interval seconds between the child's lines
     * @return the child, ended
     * @throws InterruptedException if interrupted while waiting for the child
     */
    static List<ChildProcess> run(double interval) throws InterruptedException {
        ChildProcess p = new ChildProcess(() -> worker(interval));
        p.start();
        System.out.println("p.pid: " + p.pid());
        System.out.println("p.name: " + p.name());
        System.out.println("p.is_alive: " + p.isAlive());
        // Python's exit handler joins non-daemon children; the JVM waits for them too when main ends. We join
        // here so that RunAll can run the next example once this one is over.
        p.join();
        return List.of(p);
    }

    /**
     * The child's task: prints the time five times, {@code interval} seconds apart.
     *
     * @param interval seconds between lines
     * @throws InterruptedException if interrupted while sleeping
     */
    static void worker(double interval) throws InterruptedException {
        int n = 5;
        while (n > 0) {
            System.out.println("The time is " + Clock.ctime());
            Clock.sleep(interval);
            n -= 1;
        }
    }
}
