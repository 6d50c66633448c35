package org.multiprocessing4j.internal.manager.served;

/** Runs a wait that an interrupt would end until it completes, keeping the interrupt for the caller to see. */
final class Uninterruptibly {
    /** A wait that an interrupt ends. */
    interface Wait {
        void run() throws InterruptedException;
    }

    private Uninterruptibly() {
    }

    static void run(Wait wait) {
        boolean interrupted = false;
        for (;;) {
            try {
                wait.run();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
