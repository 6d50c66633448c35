package org.multiprocessing4j.internal.memory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.multiprocessing4j.internal.resource.ProcessIdentity;
import org.multiprocessing4j.internal.resource.SegmentSweeper;

/**
 * This JVM's segments: the open ones (so that a shutdown hook lets go of each: clears this process's user entry,
 * and deletes the file where this process was the creator or the last user after it), and one shared mapping per
 * name for the primitives that attach on deserialization ({@link #attachShared}), so that a lock captured by many
 * tasks costs one mapping and one user entry per process. The first use of shared memory in a JVM sweeps the
 * segments that processes killed before they could let go left behind ({@link SegmentSweeper}).
 */
public final class Segments {
    private static final Set<Segment> OPEN = ConcurrentHashMap.newKeySet();
    private static final Map<String, Segment> SHARED = new ConcurrentHashMap<>();
    /**
     * Files of segments this process created and closed while another process still used them: the creator's
     * life keeps a segment (others may attach it by name), so the file goes when the last user lets go, or, if
     * that was a process that has ended by now, at this process's exit.
     */
    private static final Set<Path> CREATED_CLOSED = ConcurrentHashMap.newKeySet();
    /**
     * The exit hook's body, linked with this class rather than at exit, where a method reference's first linkage
     * would run interpreted in the hook that remembering liveness (ProcessIdentity) is there to make cheaper.
     */
    private static final Runnable LET_GO_ALL = Segments::letGoAll;
    private static final int PRUNE_AT = 1024;
    private static volatile boolean takesHandOvers;
    private static volatile boolean started;

    private Segments() {
    }

    /**
     * Creates a segment that stays mapped in this process until it ends, for a primitive.
     *
     * @param size data size in bytes
     * @param kind layout tag of the primitive
     * @return the segment
     */
    public static Segment createShared(long size, int kind) {
        Segment s = Segment.createForLife(size, kind);
        SHARED.put(s.name(), s);
        return s;
    }

    /**
     * Removes a primitive's segment that no other process ever saw (the rehearsal of a JVM started ahead of time):
     * deletes its name, forgets it here and closes it. Its mapping goes with the garbage collector once no buffer
     * of the primitive refers to it.
     *
     * @param s a segment made by {@link #createShared} in this process, never handed to another
     */
    public static void discardShared(Segment s) {
        SHARED.remove(s.name(), s);
        s.unlink();
        s.close();
    }

    /**
     * The mapping of this process for a primitive's segment: the one already open, else a new attach.
     *
     * @param name the segment name
     * @param kind the layout tag the primitive expects
     * @param size the data size it expects
     * @return the segment
     * @throws IllegalArgumentException if the name is missing or names a segment of another kind or size
     */
    public static Segment attachShared(String name, int kind, long size) {
        Objects.requireNonNull(name, "name");
        Segment s = SHARED.computeIfAbsent(name, Segment::attachForLife);
        if (s.kind() != kind || s.size() != size) {
            throw new IllegalArgumentException("shared memory block holds something else: name=" + name
                    + " kind=" + s.kind() + " size=" + s.size() + " expectedKind=" + kind + " expectedSize=" + size);
        }
        return s;
    }

    static void firstUse() {
        if (!started) {
            synchronized (Segments.class) {
                if (!started) {
                    started = true;
                    Runtime.getRuntime().addShutdownHook(new Thread(Segments::atExit, "mp4j-segments-exit"));
                    Thread sweep = new Thread(SegmentSweeper::sweep, "mp4j-segment-sweep");
                    sweep.setDaemon(true);
                    sweep.start();
                }
            }
        }
    }

    static void opened(Segment s) {
        OPEN.add(s);
    }

    static void closed(Segment s) {
        OPEN.remove(s);
        SHARED.remove(s.name(), s);
    }

    /**
     * Says that other processes may make this one the creator of segments it never maps (a queue's large items and
     * spill segments are handed over to the queue's creating process): at exit it then sweeps for the abandoned
     * segments it is the creator of.
     */
    public static void takeHandOvers() {
        takesHandOvers = true;
    }

    static void createdAndClosed(Path file) {
        if (CREATED_CLOSED.size() >= PRUNE_AT) {
            CREATED_CLOSED.removeIf(f -> !Files.exists(f));
        }
        CREATED_CLOSED.add(file);
    }

    /**
     * Lets go of every open segment, reclaims the closed ones it created that no live process uses, and, in a process
     * that takes hand-overs, every abandoned segment it is the creator of; the mappings stay, as other hooks may
     * still run code that uses them. The sweep goes last, after this process's own entries are cleared.
     */
    private static void atExit() {
        ProcessIdentity.rememberingLiveness(LET_GO_ALL);
    }

    private static void letGoAll() {
        for (Segment s : OPEN) {
            try {
                s.letGoAtExit();
            } catch (RuntimeException e) {
                // best effort: a later sweep reclaims the file
            }
        }
        if (takesHandOvers) {
            SegmentSweeper.sweepAtExit(); // finds the created-and-closed ones too: their creator is this process
            return;
        }
        for (Path f : CREATED_CLOSED) {
            Reclaimer.reclaimIfAbandoned(f, true);
        }
    }
}
