package org.multiprocessing4j.internal.manager;

import java.util.Collection;
import java.util.List;
import java.util.ListIterator;
import java.util.NoSuchElementException;

/**
 * Iterators over a proxied collection: they read a snapshot taken in one round trip ({@code toArray()}) and write
 * changes back through the proxy, one atomic server operation each ({@code remove(i)}, {@code set(i, e)},
 * {@code add(i, e)} for a list; {@code remove(e)} for other collections). Like the weakly consistent iterators of
 * {@code java.util.concurrent}, they never throw {@code ConcurrentModificationException}; indices written back
 * assume nobody else changed the list meanwhile.
 */
final class Snapshots {
    private Snapshots() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static ListIterator<Object> iterator(Object proxy, int start, boolean list) {
        Collection<Object> c = (Collection<Object>) proxy;
        Object[] items = c.toArray();
        if (start < 0 || start > items.length) {
            throw new IndexOutOfBoundsException("index=" + start + " size=" + items.length);
        }
        return new ListIterator<>() {
            private final java.util.ArrayList<Object> snap = new java.util.ArrayList<>(java.util.Arrays.asList(items));
            private int cursor = start;
            private int last = -1;

            @Override
            public boolean hasNext() {
                return cursor < snap.size();
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                last = cursor++;
                return snap.get(last);
            }

            @Override
            public boolean hasPrevious() {
                return cursor > 0;
            }

            @Override
            public Object previous() {
                if (!hasPrevious()) {
                    throw new NoSuchElementException();
                }
                last = --cursor;
                return snap.get(last);
            }

            @Override
            public int nextIndex() {
                return cursor;
            }

            @Override
            public int previousIndex() {
                return cursor - 1;
            }

            @Override
            public void remove() {
                if (last < 0) {
                    throw new IllegalStateException("remove() without next()");
                }
                if (list) {
                    ((List) c).remove(last);
                } else {
                    c.remove(snap.get(last));
                }
                snap.remove(last);
                cursor = last;
                last = -1;
            }

            @Override
            public void set(Object e) {
                if (last < 0 || !list) {
                    throw new IllegalStateException("set() without next() or previous()");
                }
                ((List) c).set(last, e);
                snap.set(last, e);
            }

            @Override
            public void add(Object e) {
                if (!list) {
                    throw new UnsupportedOperationException("add through the iterator of a queue");
                }
                ((List) c).add(cursor, e);
                snap.add(cursor++, e);
                last = -1;
            }
        };
    }
}
