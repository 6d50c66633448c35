/**
 * Named memory-mapped segments shared between processes: header and user table, atomic and plain access (by
 * address through {@code Unsafe} on JDK 17-21, {@code RawMemory}; through {@code VarHandle}s and the buffers on 22+),
 * explicit unmapping, this JVM's registry of open segments, and the reclaiming of files no
 * process can use any more ({@code Reclaimer}). Start from
 * {@link org.multiprocessing4j.internal.memory.Segment}; the layout is in {@code SegmentHeader}.
 */
package org.multiprocessing4j.internal.memory;
