package org.looplens.analyses.prompts;

import java.util.SplittableRandom;
import org.looplens.engine.data.Example;
import org.looplens.engine.data.MultiHopTask;

/**
 * A corrupted version of a prompt for patching: same length, one fact changed, another answer.
 *
 * @param tokens the corrupted prompt
 * @param label  its answer
 */
public record Counterfactual(int[] tokens, int label) {

    /**
     * A multi-hop question with the same relation chain from another start entity (token 1, after
     * {@code <bos>}), drawn reproducibly from the seed and the question. Relations are permutations,
     * so a chain maps different starts to different answers: the label always differs.
     */
    public static Counterfactual multiHop(MultiHopTask task, Example e, long seed) {
        String[] words = e.key().split(" ");
        int start = Integer.parseInt(words[0].substring(1));
        SplittableRandom rng = new SplittableRandom(seed ^ e.key().hashCode() * 0x9E3779B97F4A7C15L);
        int other = (start + 1 + rng.nextInt(task.entities() - 1)) % task.entities();
        int entity = other;
        for (int i = 1; i < words.length; i++) {
            entity = task.apply(Integer.parseInt(words[i].substring(1)), entity);
        }
        int[] tokens = java.util.Arrays.copyOf(e.tokens(), e.answerStart());
        if (tokens[1] != task.entityToken(start)) {
            throw new IllegalArgumentException("example '" + e.key() + "' does not start with its entity after <bos>");
        }
        tokens[1] = task.entityToken(other);
        return new Counterfactual(tokens, task.entityToken(entity));
    }
}
