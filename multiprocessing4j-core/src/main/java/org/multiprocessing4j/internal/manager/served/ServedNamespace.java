package org.multiprocessing4j.internal.manager.served;

import java.util.HashMap;
import java.util.Map;
import org.multiprocessing4j.manager.Namespace;

/** The server's object behind {@code Manager.namespace()}: a synchronized map of attributes. */
public final class ServedNamespace implements Namespace {
    private final Map<String, Object> attributes = new HashMap<>();

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T> T get(String name) {
        return (T) attributes.get(name);
    }

    @Override
    public synchronized void set(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public synchronized boolean remove(String name) {
        boolean had = attributes.containsKey(name);
        attributes.remove(name);
        return had;
    }

    @Override
    public synchronized String toString() {
        return "Namespace" + attributes;
    }
}
