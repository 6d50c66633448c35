/**
 * Managers: shared objects served by a process, reached through proxies, on one machine or across machines
 * (Python's {@code multiprocessing.managers}). Start from {@link org.multiprocessing4j.manager.Manager}.
 */
package org.multiprocessing4j.manager;
