package org.looplens.analyses.faithfulness;

import java.util.List;
import org.looplens.engine.data.Example;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.run.TokenSampler;
import org.looplens.engine.tensor.FloatTensor;

/** Batched greedy answers and the layout facts the faithfulness tests share. */
final class Answers {
    /** Sequences per batched forward: large enough to keep the matrix products busy, small enough for memory. */
    static final int CHUNK = 64;

    private Answers() {}

    /** The greedy next token after each sequence (the argmax at its last position). */
    static int[] next(LoopRunner runner, List<int[]> sequences, RunOptions options) {
        int[] out = new int[sequences.size()];
        for (int from = 0; from < sequences.size(); from += CHUNK) {
            List<RunResult> runs = runner.forward(sequences.subList(from, Math.min(sequences.size(), from + CHUNK)), options);
            for (int i = 0; i < runs.size(); i++) {
                out[from + i] = lastArgmax(runs.get(i).output());
            }
        }
        return out;
    }

    /** The argmax of the last row of {@code [L, vocab]} logits (the first of ties). */
    static int lastArgmax(FloatTensor logits) {
        int rows = logits.dim(0);
        return TokenSampler.argmax(logits.data(), (rows - 1) * logits.dim(1), logits.dim(1));
    }

    /** A model's name for a curve: its checkpoint folder, or "model". */
    static String name(LoopModel m) {
        return m.source().map(p -> p.toAbsolutePath().normalize().getFileName().toString()).orElse("model");
    }

    /**
     * Index of the token after which the example's targets start: the {@code ?} of a COT layout,
     * the {@code =} of a DIRECT one (the loss counts every prediction from there on).
     */
    static int separator(Example e) {
        for (int i = 0; i < e.lossMask().length; i++) {
            if (e.lossMask()[i]) {
                return i;
            }
        }
        throw new IllegalArgumentException("example '" + e.key() + "' has no targets");
    }

    static int[] concat(int[] a, int[] b, int from, int to, int... tail) {
        int[] out = new int[a.length + (to - from) + tail.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, from, out, a.length, to - from);
        System.arraycopy(tail, 0, out, a.length + to - from, tail.length);
        return out;
    }

    /** ⌊f·n⌋, robust to f·n landing a rounding error below an integer (0.7·10). */
    static int kept(double f, int n) {
        return Math.min(n, (int) Math.floor(f * n + 1e-9));
    }
}
