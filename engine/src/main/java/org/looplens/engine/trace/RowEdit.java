package org.looplens.engine.trace;

/** Changes one row of an activation in place; {@code position} is its absolute position. */
@FunctionalInterface
interface RowEdit {
    void edit(float[] row, int head, int position);
}
