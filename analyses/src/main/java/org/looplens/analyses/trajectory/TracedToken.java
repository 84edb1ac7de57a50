package org.looplens.analyses.trajectory;

/**
 * One token whose state is followed through the loop steps.
 *
 * @param prompt   the index of its prompt in the list that was run
 * @param position its 0-based position in that prompt
 * @param token    its token id
 */
public record TracedToken(int prompt, int position, int token) {}
