package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.internal.PrimitiveUse;
import org.multiprocessing4j.internal.child.Rehearsals;
import org.multiprocessing4j.internal.memory.Segment;
import org.multiprocessing4j.internal.resource.RuntimeDir;
import org.multiprocessing4j.pool.ProcessPool;
import org.multiprocessing4j.queue.ProcessQueue;

/**
 * A JVM made ready ahead of time rehearses the primitives its parent has used while it waits (internal.child
 * Rehearsals), and the process it is then given finds nothing of that: no segment, no thread, no use noted; a
 * process that arrives in the middle of a rehearsal stops it first.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RehearsalTest {
    @TempDir
    Path dir;

    /** Run in the child: what it finds of its JVM's rehearsal, as one line. */
    static void report(String out) throws Exception {
        Rehearsals.Outcome o = Rehearsals.last();
        List<String> found = new ArrayList<>();
        if (o != null) {
            for (String name : o.segments()) {
                try (Segment s = Segment.attach(name)) {
                    found.add("segment " + name + " still exists");
                } catch (RuntimeException e) {
                    // deleted, as it must be
                }
            }
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("mp4j-rehearsal") || t.getName().startsWith("mp4j-pool-worker")) {
                found.add("thread " + t.getName() + " alive");
            }
        }
        try (var files = Files.list(RuntimeDir.get().path())) {
            files.filter(f -> f.getFileName().toString().endsWith(".rehearsal.sock"))
                    .forEach(f -> found.add("socket " + f + " still exists"));
        }
        String line = o == null ? "none" : o.primitives() + " " + o.finished() + " " + o.segments().size() + " "
                + PrimitiveUse.used() + " " + (found.isEmpty() ? "clean" : String.join("; ", found));
        Fixtures.append(Path.of(out), line);
    }

    private Context context(String... options) {
        List<String> all = new ArrayList<>(List.of("-Dmp4j.rehearsal.delayMillis=0", "-Dmp4j.rehearsal.idleCores=0",
                "-Dmp4j.test.preloadFile=" + dir.resolve("ready")));
        all.addAll(List.of(options));
        return Multiprocessing.getContext(StartMethod.PRESTART).withReadyJvms(1)
                .withJvmOptions(all.toArray(new String[0])).withPreload(PreloadProbe.class.getName());
    }

    /** The fields of a child's report line. */
    private record Report(int primitives, boolean finished, int segments, int usedInChild, String found) {
        static Report of(String line) {
            String[] f = line.split(" ", 5);
            return new Report(Integer.parseInt(f[0]), Boolean.parseBoolean(f[1]), Integer.parseInt(f[2]),
                    Integer.parseInt(f[3]), f[4]);
        }
    }

    @Test
    void aReadyJvmRehearsesTheQueueItsParentUsedAndItsProcessFindsNothingOfIt() throws Exception {
        new ProcessQueue<Integer>().put(1); // this JVM has used a queue: its ready JVMs rehearse queues
        List<String> lines = rehearsedRuns();
        Report last = Report.of(lines.get(lines.size() - 1));
        assertTrue((last.primitives() & PrimitiveUse.QUEUE) != 0, "it rehearsed queues: " + lines);
        int pipes = (last.primitives() & PrimitiveUse.PIPE) != 0 ? 1 : 0; // if this JVM's other tests used pipes
        assertEquals(2 + pipes, last.segments(), "two queue flows (and a pipe): " + lines);
    }

    /** A pool's worker session, over a socket of its own: nothing of it stays, neither thread nor socket file. */
    @Test
    void aReadyJvmRehearsesThePoolItsParentUsedAndItsProcessFindsNothingOfIt() throws Exception {
        try (ProcessPool pool = new ProcessPool(1)) { // this JVM has made a pool: its ready JVMs rehearse pools
            assertEquals(List.of(2), pool.map(x -> x + 1, List.of(1)));
        }
        List<String> lines = rehearsedRuns();
        Report last = Report.of(lines.get(lines.size() - 1));
        assertTrue((last.primitives() & PrimitiveUse.POOL) != 0, "it rehearsed pools: " + lines);
    }

    /**
     * Starts processes in ready JVMs until one finds its JVM's rehearsal finished (a few tries on a loaded machine),
     * and checks what every one of them found. @return their report lines
     */
    private List<String> rehearsedRuns() throws Exception {
        String out = dir.resolve("out").toString();
        Context ctx = context();
        List<String> lines = new ArrayList<>();
        // the first start launches its own JVM (which has no preload), and the spare, which rehearses; a process
        // that finds the rehearsal finished is one whose JVM had the time (a few tries on a loaded machine)
        for (int attempt = 0; attempt <= 6; attempt++) {
            if (attempt > 0) {
                Fixtures.awaitLines(dir.resolve("ready"), attempt, TestTimeouts.CHILD_STEP); // a spare is ready
                Thread.sleep(1_000L * attempt);
            }
            ChildProcess p = ctx.process(() -> report(out));
            p.start();
            p.join();
            assertEquals(0, p.exitCode());
            lines = Files.readAllLines(Path.of(out));
            if (attempt > 0 && Report.of(lines.get(lines.size() - 1)).finished()) {
                break;
            }
        }
        assertEquals("none", lines.get(0), "the first process ran in a JVM launched for it, which does not rehearse");
        Report last = Report.of(lines.get(lines.size() - 1));
        assertTrue(last.finished(), "a rehearsal ran to its end: " + lines);
        assertEquals(0, last.usedInChild(), "the process's own use of primitives starts empty: " + lines);
        for (String line : lines.subList(1, lines.size())) {
            assertEquals("clean", Report.of(line).found(), "every process found its JVM clean: " + lines);
        }
        return lines;
    }

    /**
     * Run in the child: whether its JVM's rehearsal finished, when it began and ended (System.nanoTime), and whether
     * it began on the word of the turn before.
     */
    static void reportTimes(String out) throws Exception {
        Rehearsals.Outcome o = Rehearsals.last();
        Fixtures.append(Path.of(out), o == null ? "none"
                : o.finished() + " " + o.began() + " " + o.ended() + " " + o.handedOver());
    }

    /**
     * The ready JVMs of one parent take turns (a lock in the parent's runtime directory): even told to rehearse at
     * once whatever the load, three JVMs launched together never rehearse at the same time. Each turn leaves a note
     * of the load beside it, on whose word the next one begins without a sample of its own (told here that a note
     * stays fresh for minutes, so that a slow machine's scheduling cannot make it stale).
     */
    @Test
    void theReadyJvmsOfOneParentRehearseOneAfterAnotherEachOnTheWordOfTheOneBefore() throws Exception {
        new ProcessQueue<Integer>().put(1);
        Context ctx = Multiprocessing.getContext(StartMethod.PRESTART).withReadyJvms(3)
                .withJvmOptions("-Dmp4j.rehearsal.delayMillis=0", "-Dmp4j.rehearsal.idleCores=0",
                        "-Dmp4j.rehearsal.handOverMillis=600000");
        ChildProcess first = ctx.process(() -> { }); // launched for itself; then three are launched together
        first.start();
        first.join();
        List<long[]> times = new ArrayList<>(); // began, ended, handed over (1)
        for (int attempt = 1; attempt <= 5 && times.size() < 3; attempt++) {
            Thread.sleep(1_500L * attempt); // the three rehearse meanwhile, in turn (a few tries on a loaded machine)
            String out = dir.resolve("turns" + attempt).toString();
            List<ChildProcess> ps = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ChildProcess p = ctx.process(() -> reportTimes(out));
                p.start();
                ps.add(p);
            }
            for (ChildProcess p : ps) {
                p.join();
                assertEquals(0, p.exitCode());
            }
            times.clear();
            for (String line : Files.readAllLines(Path.of(out))) {
                String[] f = line.split(" ");
                if (f.length == 4 && Boolean.parseBoolean(f[0])) {
                    times.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]),
                        Boolean.parseBoolean(f[3]) ? 1 : 0});
                }
            }
        }
        assertEquals(3, times.size(), "three ready JVMs finished their rehearsals");
        times.sort((a, b) -> Long.compare(a[0], b[0]));
        for (int i = 1; i < times.size(); i++) {
            assertTrue(times.get(i - 1)[1] <= times.get(i)[0], "rehearsal " + i + " began "
                    + (times.get(i - 1)[1] - times.get(i)[0]) / 1000 + " us before the one before it ended");
            assertEquals(1, times.get(i)[2], "rehearsal " + i + " began on the word of the one before it");
        }
    }

    @Test
    void aProcessThatArrivesDuringARehearsalStopsItAndFindsNothingOfIt() throws Exception {
        new ProcessQueue<Integer>().put(1);
        // a rehearsal that cannot end before the process comes (queues are rehearsed first)
        List<String> lines = arriveMidRehearsal(context("-Dmp4j.rehearsal.queueItems=1000000000"));
        Report r = Report.of(lines.get(1));
        assertEquals(List.of(false, 1, 0, "clean"), List.of(r.finished(), r.segments(), r.usedInChild(), r.found()),
                "stopped in its first flow, which it deleted; all: " + lines);
    }

    @Test
    void aProcessThatArrivesDuringThePoolsRehearsalStopsItAndFindsNothingOfIt() throws Exception {
        try (ProcessPool pool = new ProcessPool(1)) {
            assertEquals(List.of(2), pool.map(x -> x + 1, List.of(1)));
        }
        // a pool part that cannot end before the process comes, after short queue and pipe parts (if other tests of
        // this JVM used those)
        List<String> lines = arriveMidRehearsal(context("-Dmp4j.rehearsal.poolTasks=1000000000",
                "-Dmp4j.rehearsal.queueItems=2", "-Dmp4j.rehearsal.pipeItems=1"));
        Report r = Report.of(lines.get(1));
        assertTrue((r.primitives() & PrimitiveUse.POOL) != 0, "it was rehearsing pools: " + lines);
        assertEquals(List.of(false, 0, "clean"), List.of(r.finished(), r.usedInChild(), r.found()),
                "stopped, its thread and socket gone; all: " + lines);
    }

    /**
     * Starts a process (in a JVM launched for it), waits until the spare JVM has been rehearsing for a while, and
     * starts a second process, which gets that JVM. @return both processes' report lines
     */
    private List<String> arriveMidRehearsal(Context ctx) throws Exception {
        String out = dir.resolve("out").toString();
        ChildProcess first = ctx.process(() -> report(out));
        first.start();
        first.join();
        Fixtures.awaitLines(dir.resolve("ready"), 1, TestTimeouts.CHILD_STEP); // the first spare is ready
        Thread.sleep(TestTimeouts.SETTLE.toMillis() * 3); // its rehearsal is under way by now
        ChildProcess second = ctx.process(() -> report(out));
        second.start();
        second.join();
        assertEquals(0, second.exitCode());
        return Files.readAllLines(Path.of(out));
    }
}
