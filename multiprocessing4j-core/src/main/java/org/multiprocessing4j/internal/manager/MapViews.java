package org.multiprocessing4j.internal.manager;

import java.util.AbstractCollection;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code keySet()}, {@code values()} and {@code entrySet()} of a proxied map, as the {@link Map} contract has
 * them: views, not copies. Queries and changes go to the map, each one atomic server operation ({@code size},
 * {@code containsKey}, {@code remove(k)}, {@code remove(k, v)}, {@code put}, {@code clear}); iteration reads a
 * snapshot of the server's entries taken in one round trip, and an iterator's {@code remove()} or an entry's
 * {@code setValue} writes back through the map. Like the weakly consistent views of {@code ConcurrentHashMap}, they
 * never throw {@code ConcurrentModificationException}.
 */
final class MapViews {
    private MapViews() {
    }

    /**
     * @param name {@code keySet}, {@code values} or {@code entrySet}
     * @param map the proxy
     * @param entries a snapshot of the server's entries, one round trip
     * @return the view
     */
    static Object of(String name, Map<Object, Object> map, Supplier<Collection<Map.Entry<Object, Object>>> entries) {
        switch (name) {
            case "keySet":
                return new Keys(map, entries);
            case "values":
                return new Values(map, entries);
            default:
                return new Entries(map, entries);
        }
    }

    /** An iterator over a snapshot whose {@code remove()} removes the last entry's key from the map. */
    private static final class SnapshotIterator<T> implements Iterator<T> {
        private final Map<Object, Object> map;
        private final Iterator<Map.Entry<Object, Object>> snapshot;
        private final Function<Map.Entry<Object, Object>, T> view;
        private Map.Entry<Object, Object> last;

        SnapshotIterator(Map<Object, Object> map, Collection<Map.Entry<Object, Object>> snapshot,
                         Function<Map.Entry<Object, Object>, T> view) {
            this.map = map;
            this.snapshot = snapshot.iterator();
            this.view = view;
        }

        @Override
        public boolean hasNext() {
            return snapshot.hasNext();
        }

        @Override
        public T next() {
            if (!snapshot.hasNext()) {
                throw new NoSuchElementException();
            }
            last = snapshot.next();
            return view.apply(last);
        }

        @Override
        public void remove() {
            if (last == null) {
                throw new IllegalStateException("remove() without next(), or twice");
            }
            map.remove(last.getKey());
            last = null;
        }
    }

    private static final class Keys extends AbstractSet<Object> {
        private final Map<Object, Object> map;
        private final Supplier<Collection<Map.Entry<Object, Object>>> entries;

        Keys(Map<Object, Object> map, Supplier<Collection<Map.Entry<Object, Object>>> entries) {
            this.map = map;
            this.entries = entries;
        }

        @Override
        public Iterator<Object> iterator() {
            return new SnapshotIterator<>(map, entries.get(), Map.Entry::getKey);
        }

        @Override
        public int size() {
            return map.size();
        }

        @Override
        public boolean contains(Object o) {
            return map.containsKey(o);
        }

        @Override
        public boolean remove(Object o) {
            return map.remove(o) != null;
        }

        @Override
        public void clear() {
            map.clear();
        }
    }

    private static final class Values extends AbstractCollection<Object> {
        private final Map<Object, Object> map;
        private final Supplier<Collection<Map.Entry<Object, Object>>> entries;

        Values(Map<Object, Object> map, Supplier<Collection<Map.Entry<Object, Object>>> entries) {
            this.map = map;
            this.entries = entries;
        }

        @Override
        public Iterator<Object> iterator() {
            return new SnapshotIterator<>(map, entries.get(), Map.Entry::getValue);
        }

        @Override
        public int size() {
            return map.size();
        }

        @Override
        public boolean contains(Object o) {
            return map.containsValue(o);
        }

        @Override
        public void clear() {
            map.clear();
        }
    }

    private static final class Entries extends AbstractSet<Map.Entry<Object, Object>> {
        private final Map<Object, Object> map;
        private final Supplier<Collection<Map.Entry<Object, Object>>> entries;

        Entries(Map<Object, Object> map, Supplier<Collection<Map.Entry<Object, Object>>> entries) {
            this.map = map;
            this.entries = entries;
        }

        @Override
        public Iterator<Map.Entry<Object, Object>> iterator() {
            return new SnapshotIterator<>(map, entries.get(),
                    e -> new WriteThroughEntry(map, e.getKey(), e.getValue()));
        }

        @Override
        public int size() {
            return map.size();
        }

        @Override
        public boolean contains(Object o) {
            if (!(o instanceof Map.Entry)) {
                return false;
            }
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
            Object value = map.get(e.getKey());
            return value != null && value.equals(e.getValue());
        }

        @Override
        public boolean remove(Object o) {
            if (!(o instanceof Map.Entry)) {
                return false;
            }
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
            return map.remove(e.getKey(), e.getValue());
        }

        @Override
        public void clear() {
            map.clear();
        }
    }

    /** An entry whose {@code setValue} writes through to the map, as {@code ConcurrentHashMap}'s do. */
    private static final class WriteThroughEntry implements Map.Entry<Object, Object> {
        private final Map<Object, Object> map;
        private final Object key;
        private Object value;

        WriteThroughEntry(Map<Object, Object> map, Object key, Object value) {
            this.map = map;
            this.key = key;
            this.value = value;
        }

        @Override
        public Object getKey() {
            return key;
        }

        @Override
        public Object getValue() {
            return value;
        }

        @Override
        public Object setValue(Object newValue) {
            Objects.requireNonNull(newValue, "value");
            Object old = value;
            value = newValue;
            map.put(key, newValue);
            return old;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry && Objects.equals(key, ((Map.Entry<?, ?>) o).getKey())
                    && Objects.equals(value, ((Map.Entry<?, ?>) o).getValue());
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(key) ^ Objects.hashCode(value);
        }

        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    /** @return whether {@code name} is a map view method */
    static boolean isView(String name) {
        return name.equals("keySet") || name.equals("values") || name.equals("entrySet");
    }

    /** The server's detached copy of {@code entrySet()}, typed: the unchecked cast in one place. */
    @SuppressWarnings("unchecked")
    static Collection<Map.Entry<Object, Object>> asEntries(Object copy) {
        return (Collection<Map.Entry<Object, Object>>) copy;
    }
}
