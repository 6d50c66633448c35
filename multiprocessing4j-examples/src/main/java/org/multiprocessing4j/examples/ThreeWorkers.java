package org.multiprocessing4j.examples;

import java.util.List;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Multiprocessing;

/**
 * The seed's second program: three children that sleep 2, 3 and 4 seconds, while the parent prints the CPU count
 * and lists its running children ({@code multiprocessing.active_children()}).
 *
 * <p>Usage: {@code ThreeWorkers [UNIT_SECONDS]}: the children sleep 2, 3 and 4 units (default 1 s, as in the
 * seed). Their names count on from the children this JVM made before: run alone, {@code ChildProcess-1} to
 * {@code -3}; after another example in the same JVM, higher numbers, as in one Python interpreter.
 */
public final class ThreeWorkers {
    static final double DEFAULT_UNIT = 1.0;

    private ThreeWorkers() {
    }

    /**
     * Runs the example.
     *
     * @param args an optional time unit in seconds
     * @throws InterruptedException if interrupted while waiting for the children
     */
    public static void main(String[] args) throws InterruptedException {
        run(Clock.seconds(args, DEFAULT_UNIT));
    }

    /**
     * Starts the three children, prints the CPU count and the running children, and waits for the children.
     *
     * @param unit seconds per unit of sleep
     * @return the children, ended
     * @throws InterruptedException if interrupted while waiting for the children
     */
    static List<ChildProcess> run(double unit) throws InterruptedException {
        ChildProcess p1 = new ChildProcess(() -> worker1(2 * unit));
        ChildProcess p2 = new ChildProcess(() -> worker2(3 * unit));
        ChildProcess p3 = new ChildProcess(() -> worker3(4 * unit));
        p1.start();
        p2.start();
        p3.start();
        System.out.println("The number of CPU is:" + Multiprocessing.cpuCount());
        for (ChildProcess p : Multiprocessing.activeChildren()) {
            System.out.println("child   p.name:" + p.name() + "\tp.id" + p.pid());
        }
        System.out.println("END!!!!!!!!!!!!!!!!!");
        // Python's exit handler joins the children; we join them so that RunAll can go on to the next example.
        List<ChildProcess> children = List.of(p1, p2, p3);
        for (ChildProcess p : children) {
            p.join();
        }
        return children;
    }

    /**
     * The task of the child 1: prints {@code worker_1}, sleeps, prints {@code end worker_1}.
     *
     * @param interval seconds to sleep
     * @throws InterruptedException if interrupted while sleeping
     */
    static void worker1(double interval) throws InterruptedException {
        System.out.println("worker_1");
        Clock.sleep(interval);
        System.out.println("end worker_1");
    }

    /**
     * The task of the child 2: prints {@code worker_2}, sleeps, prints {@code end worker_2}.
     *
     * @param interval seconds to sleep
     * @throws InterruptedException if interrupted while sleeping
     */
    static void worker2(double interval) throws InterruptedException {
        System.out.println("worker_2");
        Clock.sleep(interval);
        System.out.println("end worker_2");
    }

    /**
     * The task of the child 3: prints {@code worker_3}, sleeps, prints {@code end worker_3}.
     *
     * @param interval seconds to sleep
     * @throws InterruptedException if interrupted while sleeping
     */
    static void worker3(double interval) throws InterruptedException {
        System.out.println("worker_3");
        Clock.sleep(interval);
        System.out.println("end worker_3");
    }
}
