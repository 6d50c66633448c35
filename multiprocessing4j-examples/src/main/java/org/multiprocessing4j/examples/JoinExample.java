package org.multiprocessing4j.examples;

import java.time.Duration;
import java.util.List;
import org.multiprocessing4j.ChildProcess;

/**
 * The seed's last section, {@code join()}: the main program waits for a child to end before it goes on, the usual
 * way to synchronize with a process. {@code join(Duration)} waits at most that long and says whether the child
 * has ended (Python's {@code join(timeout)}, after which one checks {@code is_alive()}).
 *
 * <p>Usage: {@code JoinExample [SECONDS]}: how long the child works (default 2 s).
 */
public final class JoinExample {
    static final double DEFAULT_WORK = 2.0;

    private JoinExample() {
    }

    /**
     * Runs the example.
     *
     * @param args an optional work time in seconds
     * @throws InterruptedException if interrupted while waiting for the child
     */
    public static void main(String[] args) throws InterruptedException {
        run(Clock.seconds(args, DEFAULT_WORK));
    }

    /**
     * Starts a child, waits for it a little with {@code join(Duration)}, then fully with {@code join()}.
     *
     * @param seconds how long the child works
     * @return the child, ended
     * @throws InterruptedException if interrupted while waiting for the child
     */
    static List<ChildProcess> run(double seconds) throws InterruptedException {
        ChildProcess p = new ChildProcess(() -> work(seconds), "worker");
        p.start();
        System.out.println("main: started " + p.name() + " (pid " + p.pid() + ")");
        boolean ended = p.join(Duration.ofMillis(1));
        System.out.println("main: join(1 ms) -> " + ended + ", p.is_alive: " + p.isAlive());
        System.out.println("main: join() waits for " + p.name() + " to end");
        p.join();
        System.out.println("main: after join(), p.is_alive: " + p.isAlive() + ", p.exitcode: " + p.exitCode());
        System.out.println("main: continues");
        return List.of(p);
    }

    /**
     * The child's task: works for {@code seconds}.
     *
     * @param seconds how long
     * @throws InterruptedException if interrupted while sleeping
     */
    static void work(double seconds) throws InterruptedException {
        System.out.println("worker: working for " + seconds + " s");
        Clock.sleep(seconds);
        System.out.println("worker: done");
    }
}
