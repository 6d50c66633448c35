package org.multiprocessing4j;

/** A main program with a daemon and a non-daemon child that both sleep forever; it prints their pids, then waits. */
public final class SleepingParentMain {
    private SleepingParentMain() {
    }

    public static void main(String[] args) throws Exception {
        ChildProcess daemon = new ChildProcess(Fixtures::sleepForever);
        daemon.setDaemon(true);
        daemon.start();
        ChildProcess worker = new ChildProcess(Fixtures::sleepForever);
        worker.start();
        System.out.println("pids " + daemon.pid() + " " + worker.pid());
        System.out.flush();
        Fixtures.sleepForever();
    }
}
