/**
 * Inside a child JVM: connecting back, receiving the process, running it, watching the parent and reporting the
 * end. Start from {@link org.multiprocessing4j.internal.child.ChildMain}.
 */
package org.multiprocessing4j.internal.child;
