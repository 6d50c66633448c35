/**
 * Inside a child JVM: connecting back while warming up, receiving the process, running it, watching the parent and
 * reporting the end; also the warm-up probe a parent encodes for its spawned children ({@code WarmupProbe}) and the
 * training JVM that records the class-data-sharing archive ({@code Training}). Start from
 * {@link org.multiprocessing4j.internal.child.ChildMain}.
 */
package org.multiprocessing4j.internal.child;
