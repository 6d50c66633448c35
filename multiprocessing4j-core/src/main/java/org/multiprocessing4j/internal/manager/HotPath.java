package org.multiprocessing4j.internal.manager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.multiprocessing4j.internal.codec.ByteSink;

/**
 * Runs the server's request path (codec, dispatch) some thousands of times in a background thread, once per JVM,
 * so that the JIT has compiled it before the first clients' calls arrive: a started manager's server is a young
 * JVM, and an interpreted round trip costs tens of microseconds instead of a few (in manager_dict, ~400 us in the
 * first repetition without it). Clients are not warmed: a client is often short-lived, and on a small machine a
 * warm-up thread takes the core its first calls need. An optimization only: failures are ignored.
 */
final class HotPath {
    private static final int ROUNDS = 12_000;
    private static final int SESSION_EVERY = 100;
    private static final int BATCH = 100;
    private static final AtomicBoolean SERVER = new AtomicBoolean();

    private HotPath() {
    }

    /**
     * Warms the server's side: request decoding, dispatch on a map, reply encoding. Started once the first client
     * is connected, so that it never delays that connection; not the pipe, whose spinning echo would take a core.
     */
    static void warmServer(ServerScope real) {
        if (SERVER.compareAndSet(false, true)) {
            background("mp4j-manager-warmup", () -> {
                ServerScope scratch = new ServerScope(real.address, real.key, Map.of());
                Dispatcher d = new Dispatcher(scratch);
                ObjectTable.Entry e = scratch.table.add(new java.util.concurrent.ConcurrentHashMap<>(),
                        ConcurrentMap.class, true);
                scratch.table.pin(e.id()); // the rounds' adopt and release must not free it
                rounds(d, e.id());
            });
        }
    }

    /**
     * Request writing, request decoding, dispatch on a dict and reply writing, as a connection runs them; every
     * SESSION_EVERY rounds also the requests with which each new client session begins and ends (it adopts the
     * proxies it was handed, creates objects, releases what it dropped) and a batch of BATCH puts (a client's
     * {@code Manager.batch()}), so that the compiled dispatch has seen them: else the first request of every new
     * session, and the first batch, took a branch the compiled code had never seen, and the server fell back to its
     * interpreter and recompiled while that client's calls waited (~350 ms of C2 after manager_dict's first batch).
     */
    private static void rounds(Dispatcher server, int object) throws Exception {
        MethodTable t = MethodTable.of(ConcurrentMap.class);
        int put = t.indexOf(Map.class.getMethod("put", Object.class, Object.class));
        int get = t.indexOf(Map.class.getMethod("get", Object.class));
        ByteSink request = new ByteSink(128, 64 * 1024);
        ByteSink reply = new ByteSink(128, 64 * 1024);
        List<Request.Call> calls = new ArrayList<>();
        for (int k = 0; k < BATCH; k++) {
            calls.add(new Request.Call(object, put, 1, new Object[] {"w" + k, k}));
        }
        Request batch = new Request.Batch(calls);
        for (int i = 0; i < ROUNDS; i++) {
            boolean set = (i & 1) == 0;
            Object[] args = set ? new Object[] {"w" + (i % 100), i} : new Object[] {"w" + (i % 100)};
            RequestCodec.writeCall(request.reset(), object, set ? put : get, 1, args);
            server.handle(request.array(), request.size(), 1, reply);
            if (i % SESSION_EVERY == SESSION_EVERY - 1) {
                for (Request r : List.of(new Request.Adopt(object), new Request.Release(object, 1),
                        new Request.Create("dict", new Object[0]), batch)) {
                    RequestCodec.write(r, request);
                    server.handle(request.array(), request.size(), 1, reply);
                }
            }
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    private static void background(String name, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Exception | LinkageError e) {
                // an optimization only
            }
        }, name);
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }
}
