/**
 * Files that must not outlive their owners: this JVM's private directory of socket files, swept after a crash;
 * the identity of a process (pid and start time) by which a dead owner is told from a live one; and the sweep of
 * shared-memory segments whose users are all gone. Start from
 * {@link org.multiprocessing4j.internal.resource.RuntimeDir} and
 * {@link org.multiprocessing4j.internal.resource.SegmentSweeper}.
 */
package org.multiprocessing4j.internal.resource;
