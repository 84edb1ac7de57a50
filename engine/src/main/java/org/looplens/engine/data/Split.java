package org.looplens.engine.data;

/**
 * Which part of a task an example comes from. A question belongs to exactly one split (see
 * {@link HeldOut}), so a score on VALIDATION or TEST measures generalisation, not recall.
 */
public enum Split {
    TRAIN,
    VALIDATION,
    TEST
}
