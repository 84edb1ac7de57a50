package org.looplens.engine.io;

import java.io.IOException;

/** A consumer that may throw {@link IOException}, for bodies that write to a stream. */
@FunctionalInterface
public interface IOConsumer<T> {
    void accept(T value) throws IOException;
}
