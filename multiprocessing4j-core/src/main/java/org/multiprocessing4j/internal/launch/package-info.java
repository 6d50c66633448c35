/**
 * The parent's side of a child JVM: its command line and class path, the launch and hand-shake, JVMs made ready
 * ahead of time, and the supervisor that settles the exit code. Start from
 * {@link org.multiprocessing4j.internal.launch.Launchers}.
 */
package org.multiprocessing4j.internal.launch;
