/**
 * Inside a child JVM: connecting back while warming up, receiving the process, running it, watching the parent and
 * reporting the end; also the warm-up probe a parent encodes for its spawned children ({@code WarmupProbe}), the
 * rehearsal of the parent's primitives in a JVM made ready ahead of time, in turn with its siblings
 * ({@code Rehearsals}, {@code RehearsalTurn}), and the training JVM that records the class-data-sharing archive
 * ({@code Training}). Start from
 * {@link org.multiprocessing4j.internal.child.ChildMain}.
 */
package org.multiprocessing4j.internal.child;
