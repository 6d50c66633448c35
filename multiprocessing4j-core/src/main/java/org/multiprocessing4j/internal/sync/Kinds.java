package org.multiprocessing4j.internal.sync;

/** The layout tags written into a segment's header, so that attaching a segment as the wrong type fails clearly. */
public final class Kinds {
    public static final int LOCK = 1;
    public static final int SEMAPHORE = 2;
    public static final int CONDITION = 3;
    public static final int EVENT = 4;
    public static final int BARRIER = 5;
    public static final int SHARED_INT = 6;
    public static final int SHARED_LONG = 7;
    public static final int SHARED_DOUBLE = 8;
    public static final int INT_ARRAY = 9;
    public static final int LONG_ARRAY = 10;
    public static final int DOUBLE_ARRAY = 11;
    public static final int REENTRANT_LOCK = 12;

    private Kinds() {
    }
}
