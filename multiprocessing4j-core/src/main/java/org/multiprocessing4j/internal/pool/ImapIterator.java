package org.multiprocessing4j.internal.pool;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.multiprocessing4j.internal.pool.protocol.Items;
import org.multiprocessing4j.pool.Progress;

/**
 * The lazy results of {@code imap} and {@code imapUnordered}. The input is read in the consumer's thread, only as
 * far as a window of chunks ahead of the results consumed, so an endless input works and memory stays bounded.
 *
 * <pre>
 * Overview: hasNext()/next() first top up the window (read up to chunksize items, submit them as one chunk,
 * until WINDOW chunks are in flight or the input ends), then hand out the buffered results of one chunk:
 *   ordered    the oldest chunk's results, waiting for them if need be
 *   unordered  the results of whichever chunk finished first
 * A chunk that failed throws its exception from next() (unchecked with its own type; checked ones wrapped).
 * Not thread-safe, like any Iterator.
 * </pre>
 */
final class ImapIterator<R> implements Iterator<R> {

    private final PoolTasks tasks;
    private final FunctionDef function;
    private final Iterator<?> input;
    private final int chunksize;
    private final boolean spread;
    private final boolean ordered;
    private final int window;
    private final ProgressTracker progress;
    private final ClassLoader loader = PoolEngine.loader();
    private final ArrayDeque<CompletableFuture<List<Object>>> inOrder = new ArrayDeque<>();
    private final LinkedBlockingQueue<CompletableFuture<List<Object>>> finished = new LinkedBlockingQueue<>();
    private Iterator<Object> buffer = Collections.emptyIterator();
    private int inFlight;
    private long read;
    private boolean released;

    ImapIterator(PoolTasks tasks, FunctionDef function, Iterator<?> input, int chunksize, boolean spread,
                 boolean ordered, int window, long total, Consumer<Progress> listener) {
        this.tasks = tasks;
        this.function = function;
        this.input = input;
        this.chunksize = chunksize;
        this.spread = spread;
        this.ordered = ordered;
        this.window = window;
        this.progress = listener == null ? null : new ProgressTracker(listener, total);
    }

    @Override
    public boolean hasNext() {
        if (buffer.hasNext()) {
            return true;
        }
        refill();
        if (inFlight == 0) {
            if (!released) {
                released = true;
                tasks.engine().release(function);
                if (progress != null) {
                    progress.finish();
                }
            }
            return false;
        }
        return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public R next() {
        if (!hasNext()) {
            throw new NoSuchElementException("imap has no more results");
        }
        if (!buffer.hasNext()) {
            CompletableFuture<List<Object>> chunk;
            try {
                chunk = ordered ? inOrder.pollFirst() : finished.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.CancellationException("interrupted while waiting for imap results");
            }
            inFlight--;
            List<Object> results = RemoteErrors.await(chunk, "imap");
            if (progress != null) {
                progress.add(results.size());
            }
            buffer = results.iterator();
            refill();
        }
        return (R) buffer.next();
    }

    private void refill() {
        while (inFlight < window && input.hasNext()) {
            List<Object> chunk = new ArrayList<>(chunksize);
            long from = read;
            while (chunk.size() < chunksize && input.hasNext()) {
                chunk.add(input.next());
                read++;
            }
            CompletableFuture<List<Object>> result = new CompletableFuture<>();
            if (ordered) {
                inOrder.addLast(result);
            }
            inFlight++;
            TaskRecord record = tasks.chunkRecord(function, chunk, from, spread, sent -> new Outcome() {
                @Override
                public void succeeded(byte[] value) {
                    try {
                        complete(result, Items.decode(value, loader), null);
                    } catch (IOException | RuntimeException | LinkageError e) {
                        complete(result, null, new IllegalStateException("imap results could not be decoded: " + e, e));
                    }
                }

                @Override
                public void failed(Throwable error, int item) {
                    complete(result, null, item >= 0
                            ? RemoteErrors.forItem(error, from + item, PoolTasks.itemOf(sent, item, spread)) : error);
                }

                @Override
                public void cancelled() {
                    complete(result, null, new java.util.concurrent.CancellationException("imap chunk cancelled: the "
                            + "pool was terminated"));
                }
            });
            tasks.engine().submit(List.of(record));
        }
    }

    private void complete(CompletableFuture<List<Object>> result, List<Object> value, Throwable error) {
        if (error != null) {
            result.completeExceptionally(error);
        } else {
            result.complete(value);
        }
        if (!ordered) {
            finished.add(result);
        }
    }

    @Override
    public String toString() {
        return "imap[inFlight=" + inFlight + " read=" + read + "]";
    }
}
