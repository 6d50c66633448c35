package org.multiprocessing4j.internal.manager;

import java.lang.ref.Cleaner;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client session's references to server objects, counted so that the server can let an object go once no
 * process has a proxy of it (Python's proxy decref).
 *
 * <pre>
 * Overview
 *  track:    each proxy made from a received reference counts it (received++, alive++) and registers a Cleaner
 *            action on its handler, which the proxy alone keeps reachable.
 *  cleaned:  alive--; at 0 the entry goes and Release(object, received) is queued: the server subtracts exactly
 *            the references this process had received, so one that arrives meanwhile stays counted.
 *  sending:  one daemon thread per session, started at the first release, sends them (a failed send means the
 *            server or the session is gone, and with it every hold).
 * </pre>
 */
final class References {
    private static final Cleaner CLEANER = Cleaner.create();

    private final ClientSession session;
    /** Per object id: {references received, proxies alive}; guarded by itself. */
    private final Map<Integer, int[]> counts = new HashMap<>();
    private final LinkedBlockingQueue<Request.Release> releases = new LinkedBlockingQueue<>();
    private Thread sender;

    References(ClientSession session) {
        this.session = session;
    }

    void track(Object handler, int object) {
        synchronized (counts) {
            int[] r = counts.computeIfAbsent(object, k -> new int[2]);
            r[0]++;
            r[1]++;
        }
        CLEANER.register(handler, new Untrack(this, object));
    }

    /** The cleaning action of one proxy: it holds no reference to the proxy. */
    private static final class Untrack implements Runnable {
        private final References references;
        private final int object;

        Untrack(References references, int object) {
            this.references = references;
            this.object = object;
        }

        @Override
        public void run() {
            references.untrack(object);
        }
    }

    private void untrack(int object) {
        int received;
        synchronized (counts) {
            int[] r = counts.get(object);
            if (r == null || --r[1] > 0) {
                return;
            }
            counts.remove(object);
            received = r[0];
        }
        if (session.isClosed()) {
            return;
        }
        releases.add(new Request.Release(object, received));
        synchronized (releases) {
            if (sender == null) {
                sender = new Thread(this::send, "mp4j-manager-release");
                sender.setDaemon(true);
                sender.start();
            }
        }
    }

    private void send() {
        while (!session.isClosed()) {
            try {
                Request.Release r = releases.poll(1, TimeUnit.SECONDS);
                if (r != null && !session.isClosed()) {
                    session.call(r, false);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                // the server or this session is gone, and every hold with it
            }
        }
    }
}
