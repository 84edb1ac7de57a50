package org.looplens.app.bench;

import java.util.ArrayList;
import java.util.List;
import org.looplens.engine.data.Example;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.DecodeSession;
import org.looplens.engine.run.KvCache;
import org.looplens.engine.run.KvSharing;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.train.Evaluator;

/**
 * The Ouro paper's cache-sharing comparison on a checkpoint's own held-out questions: for each
 * {@link KvSharing} mode, every question is decoded one token at a time (the first token as a
 * prefill of one, every later one as a decode step reading the cache, so the mode matters), and
 * its answer is read greedily from the last step's logits after the last prompt token (and, for a
 * longer answer, after each teacher-forced answer token), exactly where a full forward's direct
 * accuracy reads it.
 */
public final class KvSharingBench {
    private KvSharingBench() {}

    /**
     * One mode's numbers. {@code bytesPerToken}: key/value bytes the cache stores per position;
     * {@code peakCacheBytes}: that times the longest decoded sequence.
     */
    public record ModeResult(KvSharing mode, int correct, int questions, long bytesPerToken, long peakCacheBytes) {
        public double accuracy() {
            return questions == 0 ? 0 : correct / (double) questions;
        }
    }

    /** Every mode in {@link KvSharing} order, and the full forward's accuracy on the same questions. */
    public record Result(List<ModeResult> modes, int fullForwardCorrect, int questions) {
        public double fullForwardAccuracy() {
            return questions == 0 ? 0 : fullForwardCorrect / (double) questions;
        }
    }

    public static Result run(LoopModel model, Kernels kernels, List<Example> questions) {
        LoopRunner runner = new LoopRunner(model, kernels);
        RunOptions options = RunOptions.defaults();
        int vocab = model.config().vocabSize();
        int fullForward = 0;
        for (Example e : questions) {
            RunResult r = runner.forward(decoded(e), options);
            fullForward += Evaluator.directCorrect(e, r.output().data(), vocab) ? 1 : 0;
        }
        List<ModeResult> modes = new ArrayList<>();
        for (KvSharing mode : KvSharing.values()) {
            int correct = 0;
            long perToken = 0;
            int longest = 0;
            for (Example e : questions) {
                int[] tokens = decoded(e);
                DecodeSession session = runner.session(options, mode);
                float[] logits = new float[tokens.length * vocab];
                for (int p = 0; p < tokens.length; p++) {
                    RunResult r = session.append(tokens[p]);
                    System.arraycopy(r.output().data(), 0, logits, p * vocab, vocab);
                }
                correct += Evaluator.directCorrect(e, logits, vocab) ? 1 : 0;
                KvCache cache = session.cache();
                perToken = cache.bytesPerPosition();
                longest = Math.max(longest, cache.length());
            }
            modes.add(new ModeResult(mode, correct, questions.size(), perToken, perToken * longest));
        }
        return new Result(List.copyOf(modes), fullForward, questions.size());
    }

    /** The question and every answer token but the last: the positions whose outputs predict the answer. */
    static int[] decoded(Example e) {
        return java.util.Arrays.copyOf(e.tokens(), e.answerStart() + e.answer().length - 1);
    }
}
