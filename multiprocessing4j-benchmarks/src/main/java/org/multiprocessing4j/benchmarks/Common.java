package org.multiprocessing4j.benchmarks;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The Java side of {@code ../shared/bench/python/_common.py}: the record format, the scale knob and the statistics,
 * computed the same way so that both sides' numbers mean the same thing.
 *
 * <p>Clocks: {@link System#nanoTime()} on Linux HotSpot is {@code clock_gettime(CLOCK_MONOTONIC)}, system-wide like
 * Python's {@code time.clock_gettime_ns(CLOCK_MONOTONIC)}, so timestamps taken in different processes (a parent
 * and its child JVM, whatever their JDK versions) are directly comparable. That is an implementation property, not
 * a {@code nanoTime} guarantee: on another OS or VM cross-process differences would be meaningless.
 *
 * <p>Environment: {@code MPBENCH_SCALE}, a float multiplier for iteration counts (default 1.0).
 */
final class Common {
    private Common() {
    }

    /** Python's {@code scale(n, minimum)}: {@code max(minimum, int(n * MPBENCH_SCALE))}. */
    static int scale(int n, int minimum) {
        String s = System.getenv("MPBENCH_SCALE");
        double f;
        try {
            f = s == null || s.isBlank() ? 1.0 : Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new Bench.Usage("MPBENCH_SCALE is not a number: '" + s + "'");
        }
        return Math.max(minimum, (int) (n * f));
    }

    /** @return this JVM's feature version, such as 17 or 25 */
    static int jdk() {
        return Runtime.version().feature();
    }

    /** The parameters every record carries, before the bench's own (as {@code base_params} in Python). */
    static Map<String, Object> baseParams() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("java", System.getProperty("java.version"));
        p.put("impl", System.getProperty("java.vm.name"));
        p.put("jdk", jdk());
        return p;
    }

    /**
     * Prints one record, as {@code _common.emit}: {@code {"bench", "metric", "value", "unit", "params"}}; a double
     * value is rounded to 6 significant digits. Params are given as key, value pairs; a key of the base params
     * (such as {@code jdk}) is overridden in place.
     */
    static void emit(String bench, String metric, Object value, String unit, Object... params) {
        Map<String, Object> p = baseParams();
        for (int i = 0; i + 1 < params.length; i += 2) {
            Object v = params[i + 1];
            p.put((String) params[i], v instanceof Double ? round6((Double) v) : v);
        }
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("bench", bench);
        rec.put("metric", metric);
        rec.put("value", value instanceof Double ? round6((Double) value) : value);
        rec.put("unit", unit);
        rec.put("params", p);
        System.out.println(Json.write(rec));
        System.out.flush();
    }

    /** Python's {@code float(f"{v:.6g}")}. */
    static double round6(double v) {
        if (!Double.isFinite(v) || v == 0) {
            return v;
        }
        return new BigDecimal(v).round(new MathContext(6)).doubleValue();
    }

    /** Python's {@code median}: the middle value, or the mean of the two middle ones; NaN if empty. */
    static double median(List<Double> xs) {
        List<Double> s = sorted(xs);
        int n = s.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** Python's {@code percentile}: nearest rank, p in [0, 100]; NaN if empty. */
    static double percentile(List<Double> xs, double p) {
        List<Double> s = sorted(xs);
        if (s.isEmpty()) {
            return Double.NaN;
        }
        int k = Math.max(0, Math.min(s.size() - 1, (int) Math.ceil(p / 100.0 * s.size()) - 1));
        return s.get(k);
    }

    /**
     * The CPU a process uses over a while, as a percentage of one core (its JVM housekeeping included).
     *
     * @param pid the process
     * @param millis how long to watch it
     * @return the percentage, or NaN where the OS does not tell a process's CPU time
     */
    static double cpuPercent(long pid, long millis) throws InterruptedException {
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
        long cpu0 = h.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
        long t0 = System.nanoTime();
        Thread.sleep(millis);
        long cpu1 = h.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
        long dt = System.nanoTime() - t0;
        return cpu0 < 0 || cpu1 < 0 ? Double.NaN : 100.0 * (cpu1 - cpu0) / dt;
    }

    /** @return nanoseconds as microseconds, one element each */
    static List<Double> micros(long[] nanos) {
        List<Double> us = new ArrayList<>(nanos.length);
        for (long ns : nanos) {
            us.add(ns / 1e3);
        }
        return us;
    }

    /** @return nanoseconds as milliseconds */
    /**
     * @return the pause before a paced start (env MPBENCH_PACE_MS, default 400 ms): long enough for a JVM made
     *     ready ahead of time to be waiting
     */
    /**
     * Emits a wait's latencies over two windows of {@code n} rounds: the first (as {@code metric}: a fresh process,
     * partly before its paths are compiled) and the last (as {@code metric_steady}), each with p10 and p90.
     *
     * @param all the latencies of every round, in us
     * @param params further params of both records
     */
    static void emitFirstAndSteady(String bench, String metric, List<Double> all, int n, String note,
            Object... params) {
        List<Double> first = all.subList(0, n);
        List<Double> steady = all.subList(all.size() - n, all.size());
        List<Object> head = new ArrayList<>(List.of("n", n, "p10", percentile(first, 10), "p90",
                percentile(first, 90), "note", note));
        head.addAll(Arrays.asList(params));
        emit(bench, metric, median(first), "us", head.toArray());
        List<Object> tail = new ArrayList<>(List.of("n", n, "after", all.size() - n, "p10", percentile(steady, 10),
                "p90", percentile(steady, 90), "note", note + ", rounds after the first " + (all.size() - n)));
        tail.addAll(Arrays.asList(params));
        emit(bench, metric + "_steady", median(steady), "us", tail.toArray());
    }

    static long paceMillis() {
        String s = System.getenv("MPBENCH_PACE_MS");
        try {
            return s == null || s.isBlank() ? 400 : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new Bench.Usage("MPBENCH_PACE_MS is not a whole number of milliseconds: '" + s + "'");
        }
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static List<Double> sorted(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s;
    }
}
