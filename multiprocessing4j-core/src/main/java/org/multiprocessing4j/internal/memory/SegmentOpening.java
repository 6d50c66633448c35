package org.multiprocessing4j.internal.memory;

import static org.multiprocessing4j.internal.memory.SegmentHeader.LENGTH;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * How a {@link Segment} comes to be open in this process: its file created (owner-only permissions, sized to whole
 * pages, the header written and this process registered as creator and user) or attached (waiting up to 2 s for a
 * creator still writing the length or the header, refusing a doomed, unlinked or short one), and mapped.
 */
final class SegmentOpening {
    private static final int PAGE = 4096;

    private SegmentOpening() {
    }

    /**
     * Creates a segment under the given name; see {@link Segment#create(String, long, int)}.
     *
     * @param forLife map it with {@link FileMapping#mapForLife} (see {@code Segment.createForLife})
     */
    static Segment create(String name, long size, int kind, boolean forLife) {
        Objects.requireNonNull(name, "name");
        if (size < 1 || size > Integer.MAX_VALUE - 2L * PAGE) {
            throw new IllegalArgumentException("segment size must be 1.." + (Integer.MAX_VALUE - 2L * PAGE)
                    + " bytes: size=" + size);
        }
        Path file = SegmentFiles.fileOf(name);
        Segments.firstUse();
        long length = (LENGTH + size + PAGE - 1) / PAGE * PAGE;
        try (FileChannel ch = SegmentFiles.posix()
                ? FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                        StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                        StandardOpenOption.WRITE)) {
            FileMapping region;
            try {
                region = forLife ? FileMapping.mapForLife(ch, 0, length) : FileMapping.map(ch, 0, length);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(file);
                throw e;
            }
            MappedByteBuffer m = region.buffer();
            SegmentHeader.initialize(m, size, kind);
            Segment s = new Segment(name, file, region, SegmentHeader.register(m));
            Segments.opened(s);
            return s;
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("a shared memory block of that name exists: name=" + name + " file="
                    + file, e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a shared memory block: name=" + name + " size=" + size
                    + " file=" + file + " (is " + file.getParent() + " full or not writable?): " + e, e);
        }
    }

    /**
     * Maps an existing segment and registers this process as one of its users; see {@link Segment#attach}.
     *
     * @param forLife map it with {@link FileMapping#mapForLife} (see {@code Segment.attachForLife})
     */
    static Segment attach(String name, boolean forLife) {
        Objects.requireNonNull(name, "name");
        Path file = SegmentFiles.fileOf(name);
        Segments.firstUse();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long length = ch.size();
            if (length < LENGTH) {
                awaitLength(ch, name);
                length = ch.size();
            }
            FileMapping region = forLife ? FileMapping.mapForLife(ch, 0, length) : FileMapping.map(ch, 0, length);
            MappedByteBuffer m = region.buffer();
            awaitMagic(region, name, file);
            int index = SegmentHeader.register(m);
            int state = SegmentHeader.state(m);
            if (state == SegmentHeader.STATE_DOOMED || state == SegmentHeader.STATE_UNLINKED) {
                SegmentHeader.release(m, index);
                region.unmap();
                throw missing(name, file);
            }
            long need = LENGTH + SegmentHeader.dataSize(m);
            if (length < need) {
                SegmentHeader.release(m, index);
                region.unmap();
                throw new IllegalArgumentException("shared memory block is shorter than its header says: name="
                        + name + " fileLength=" + length + " needed=" + need);
            }
            Segment s = new Segment(name, file, region, index);
            Segments.opened(s);
            return s;
        } catch (NoSuchFileException e) {
            throw missing(name, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot attach shared memory block: name=" + name + " file=" + file, e);
        }
    }

    private static IllegalArgumentException missing(String name, Path file) {
        return new IllegalArgumentException("no shared memory block of that name: name=" + name + " file=" + file
                + " (never created, unlinked, or reclaimed after every process using it ended)");
    }

    private static void awaitLength(FileChannel ch, String name) throws IOException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (ch.size() < LENGTH) {
            if (System.nanoTime() > deadline) {
                throw new IllegalArgumentException("not a shared memory block (too short): name=" + name
                        + " length=" + ch.size());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private static void awaitMagic(FileMapping region, String name, Path file) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (!SegmentHeader.hasMagic(region.buffer())) {
            if (System.nanoTime() > deadline) {
                region.unmap();
                throw new IllegalArgumentException("not a multiprocessing4j shared memory block (no header): name="
                        + name + " file=" + file);
            }
            Thread.yield();
        }
    }
}
