package org.multiprocessing4j.manager;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A condition with its own reentrant lock, held by a manager: Python's {@code Manager().Condition()}, whose
 * {@code acquire/release/wait/notify/notify_all} are {@code lock/unlock/await/signal/signalAll} here. The holder
 * is the calling thread of the calling process, as for {@link Manager#rlock()}.
 */
public interface ManagedCondition extends Lock, Condition {
}
