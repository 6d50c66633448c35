/**
 * Files that must not outlive their owners: this JVM's private directory of socket files, swept after a crash.
 * Start from {@link org.multiprocessing4j.internal.resource.RuntimeDir}.
 */
package org.multiprocessing4j.internal.resource;
