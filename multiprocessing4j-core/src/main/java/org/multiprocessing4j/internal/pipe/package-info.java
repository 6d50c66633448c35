/**
 * Same-machine pipes through shared memory: a segment of the memory layer with one byte ring per direction
 * ({@link org.multiprocessing4j.internal.pipe.ShmRing}), a table of which processes hold copies of each end
 * ({@link org.multiprocessing4j.internal.pipe.Holders}: end of stream once none of the other end's holders is
 * alive), and spin-then-park waits ({@link org.multiprocessing4j.internal.pipe.Waiter}). Offsets are named in
 * {@link org.multiprocessing4j.internal.pipe.PipeLayout}. Start from
 * {@link org.multiprocessing4j.internal.pipe.PipeEnd}.
 */
package org.multiprocessing4j.internal.pipe;
