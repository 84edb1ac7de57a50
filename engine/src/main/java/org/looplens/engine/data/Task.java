package org.looplens.engine.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A source of training and evaluation sequences.
 *
 * <p>{@link #example} is a pure function of (the task's parameters and seed, split, index,
 * format): no state is kept between calls, so a training run resumes exactly by remembering the
 * next index, and any example can be regenerated later for analysis. Implementations are
 * immutable and safe to share between threads. Indexes are any non-negative long.
 */
public interface Task {

    /** A short name for logs and run records, e.g. {@code multihop}. */
    String name();

    /** The tokens every example is written in. */
    Vocabulary vocabulary();

    /** Example {@code index} of {@code split} in {@code format}; the same arguments always give the same example. */
    Example example(Split split, long index, Format format);

    /** The longest sequence (in tokens) this task can produce in {@code format}, for sizing buffers. */
    int maxLength(Format format);

    /** Examples {@code start, start+1, ..., start+count-1} of a split: a batch at data cursor {@code start}. */
    default List<Example> batch(Split split, long start, int count, Format format) {
        if (start < 0 || count < 0) {
            throw new IllegalArgumentException("start and count must be non-negative, got " + start + ", " + count);
        }
        List<Example> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(example(split, start + i, format));
        }
        return out;
    }
}
