package org.multiprocessing4j.internal.manager.served;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.manager.ManagedEvent;

/** The server's object behind {@code Manager.event()}: a flag on a monitor. */
public final class ServedEvent implements ManagedEvent {
    private boolean flag;

    @Override
    public synchronized void set() {
        flag = true;
        notifyAll();
    }

    @Override
    public synchronized void clear() {
        flag = false;
    }

    @Override
    public synchronized boolean isSet() {
        return flag;
    }

    @Override
    public synchronized void await() throws InterruptedException {
        while (!flag) {
            wait();
        }
    }

    @Override
    public synchronized boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!flag) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
