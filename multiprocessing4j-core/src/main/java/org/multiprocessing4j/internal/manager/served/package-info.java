/**
 * The objects a manager's server holds behind its built-in proxies (locks, conditions, events, semaphores,
 * barriers, values, namespaces), each an ordinary thread-safe object of this JVM; owner-aware ones learn who calls
 * from {@link org.multiprocessing4j.internal.manager.served.Caller}. Start from
 * {@link org.multiprocessing4j.internal.manager.served.ServedLock}.
 */
package org.multiprocessing4j.internal.manager.served;
