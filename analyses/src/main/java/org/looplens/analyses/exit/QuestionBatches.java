package org.looplens.analyses.exit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;

/** Runs questions through a model in batches and hands each run back with its question. */
final class QuestionBatches {
    private static final int CHUNK = 64;

    private QuestionBatches() {}

    static void run(LoopRunner runner, List<Question> questions, RunOptions options,
                    BiConsumer<Question, RunResult> each) {
        for (int from = 0; from < questions.size(); from += CHUNK) {
            List<Question> chunk = questions.subList(from, Math.min(questions.size(), from + CHUNK));
            List<int[]> prompts = new ArrayList<>(chunk.size());
            chunk.forEach(q -> prompts.add(q.prompt()));
            List<RunResult> runs = runner.forward(prompts, options);
            for (int i = 0; i < chunk.size(); i++) {
                each.accept(chunk.get(i), runs.get(i));
            }
        }
    }

    /** The run's answer: the most likely next token at its last position. */
    static int answer(RunResult run) {
        int vocab = run.output().dim(1);
        int off = (run.length() - 1) * vocab;
        float[] logits = run.output().data();
        int best = 0;
        for (int j = 1; j < vocab; j++) {
            if (logits[off + j] > logits[off + best]) {
                best = j;
            }
        }
        return best;
    }
}
