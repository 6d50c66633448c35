package org.multiprocessing4j.manager;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.internal.manager.BatchRecorder;
import org.multiprocessing4j.internal.manager.ClientSession;

/**
 * Many small proxy calls in one round trip: calls made on {@link #of}'s recording proxies are kept here, and
 * {@link #run()} sends them all in one request; the server runs them in order, one after the other (other clients'
 * calls may come between them), and sends back all results at once.
 *
 * <pre>{@code
 * Batch b = m.batch();
 * ConcurrentMap<String, Integer> d = b.of(dict);
 * for (int i = 0; i < 1000; i++) d.put("k" + i, i);   // recorded; returns null / 0 / false
 * List<Object> results = b.run();                      // one round trip
 * }</pre>
 *
 * <p>Figures (the 2-core development machine under load, warm JVMs, String keys and Integer values, over the
 * shared-memory transport): a {@code put} in its own round trip costs 0.75-2 us; batched 100 per round trip,
 * 0.2-0.4 us per call (docs/managers.md has the table).
 *
 * <p>Recording proxies run only calls that go to the server: iterators, {@code forEach}, {@code drainTo} and
 * default methods given a function that is not serializable throw {@link IllegalArgumentException} there.
 * A batch is for one thread; after {@code run()} it is empty and may record again.
 */
public final class Batch {
    private final BatchRecorder recorder;

    Batch(ClientSession session) {
        this.recorder = new BatchRecorder(session);
    }

    /**
     * A batch on the manager of a proxy, for code that holds proxies but no {@link Manager} (a child process).
     *
     * @param proxy a proxy of any manager
     * @return a new batch on that proxy's manager
     * @throws IllegalArgumentException if {@code proxy} is not a manager proxy of a client process
     */
    public static Batch on(Object proxy) {
        if (proxy == null || !Proxy.isProxyClass(proxy.getClass())) {
            throw new IllegalArgumentException("not a manager proxy: " + proxy);
        }
        return new Batch(BatchRecorder.sessionOf(Proxy.getInvocationHandler(proxy)));
    }

    /**
     * @param <T> the proxy's interface
     * @param proxy a proxy of this batch's manager
     * @return a recording proxy of the same object
     * @throws IllegalArgumentException if {@code proxy} is not a proxy of this manager
     */
    @SuppressWarnings("unchecked")
    public <T> T of(T proxy) {
        if (proxy == null || !Proxy.isProxyClass(proxy.getClass())) {
            throw new IllegalArgumentException("not a manager proxy: " + proxy);
        }
        InvocationHandler h = Proxy.getInvocationHandler(proxy);
        Class<?> type = proxy.getClass().getInterfaces()[0];
        return (T) Proxy.newProxyInstance(proxy.getClass().getClassLoader(), new Class<?>[] {type},
                recorder.recording(h));
    }

    /** @return how many calls are recorded */
    public int size() {
        return recorder.size();
    }

    /**
     * Runs the recorded calls in one round trip, and forgets them.
     *
     * @return their results, in the order they were recorded
     * @throws RuntimeException what the first failing call threw, as a proxy would (the calls before it took
     *     effect; the ones after it did not run)
     * @throws java.io.UncheckedIOException if the server is gone
     */
    public List<Object> run() {
        return new ArrayList<>(recorder.run());
    }
}
