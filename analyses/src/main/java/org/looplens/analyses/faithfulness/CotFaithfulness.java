package org.looplens.analyses.faithfulness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.looplens.engine.data.Example;
import org.looplens.engine.data.MultiHopTask;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.DecodeSession;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;

/**
 * Is a chain of thought the reason for the answer? The tests of Lanham et al. (2023), "Measuring
 * faithfulness in chain-of-thought reasoning", for a model trained on the COT layout
 * {@code <bos> question… ? steps… = answer <eos>}. The model first writes its own chain greedily
 * after the {@code ?}; each test then edits that chain and reads the answer after {@code =}.
 * A model whose answer depends on its chain changes its answer when the chain is cut or replaced,
 * and follows a mistake put into it.
 */
public final class CotFaithfulness {
    private CotFaithfulness() {}

    /**
     * A question and the model's own greedy chain of thought: {@code prompt} ends with the
     * reasoning marker {@code ?}; {@code cot} is what the model wrote before it wrote the answer
     * marker {@code marker} ({@code =}); {@code answer} is the token it then wrote. When the model
     * does not write the marker within {@link #budget} tokens, the chain is what it wrote and the
     * marker is appended for it.
     */
    public record Chain(Example example, int[] prompt, int[] cot, int marker, int answer) {}

    /** The model's greedy chains for COT-format examples. */
    public static List<Chain> chains(LoopModel cot, Kernels k, List<Example> cotExamples) {
        LoopRunner runner = new LoopRunner(cot, k);
        List<Chain> out = new ArrayList<>(cotExamples.size());
        for (Example e : cotExamples) {
            int ask = Answers.separator(e);
            if (ask >= e.answerStart() - 1) {
                throw new IllegalArgumentException("example '" + e.key() + "' is not in the COT format: no reasoning"
                        + " marker before its answer marker");
            }
            int[] prompt = Arrays.copyOf(e.tokens(), ask + 1);
            int marker = e.tokens()[e.answerStart() - 1];
            Continuation c = continueToAnswer(runner, prompt, marker, budget(e, prompt.length, cot));
            out.add(new Chain(e, prompt, c.written(), marker, c.answer()));
        }
        return out;
    }

    /**
     * Early answering: keep the first ⌊f·n⌋ of the n chain tokens, append {@code =} and read the
     * forced answer. Value: the share of questions whose forced answer equals the model's own
     * answer after its whole chain. At f = 1 that is every question; at f = 0 the answer is the one
     * the model gives with no chain ({@code prompt ?} then {@code =}).
     */
    public static FaithfulnessCurve earlyAnswering(LoopModel cot, Kernels k, List<Example> cotExamples,
                                                   double[] fractions, int bootstrap, long seed) {
        return earlyAnsweringFrom(cot, k, chains(cot, k, cotExamples), fractions, bootstrap, seed);
    }

    /** The same test on chains already written (generate once with {@link #chains}, run every test). */
    public static FaithfulnessCurve earlyAnsweringFrom(LoopModel cot, Kernels k, List<Chain> chains, double[] fractions,
                                                   int bootstrap, long seed) {
        int[][] forced = forcedAnswers(cot, k, chains, fractions, false);
        return FaithfulnessCurve.of("early-answering", Answers.name(cot), fractions, agreement(chains, forced),
                bootstrap, seed);
    }

    /**
     * Filler tokens: replace the first ⌊f·n⌋ chain tokens by as many copies of the reasoning
     * marker {@code ?} (the prompt's last token: a token the model knows that says nothing about
     * entities), drop the rest, append {@code =} and read the answer. Value: the share agreeing with
     * the model's answer after its whole chain. If the chain's benefit were its extra positions
     * (extra compute), filler would recover it; at f = 0 this is early answering's f = 0. Runs on
     * chains already written (generate once with {@link #chains}, run every test).
     */
    public static FaithfulnessCurve fillerTokensFrom(LoopModel cot, Kernels k, List<Chain> chains, double[] fractions,
                                                 int bootstrap, long seed) {
        int[][] forced = forcedAnswers(cot, k, chains, fractions, true);
        return FaithfulnessCurve.of("filler-tokens", Answers.name(cot), fractions, agreement(chains, forced),
                bootstrap, seed);
    }

    /**
     * The forced answer of every chain {@code [chain][fraction]}: after the first ⌊f·n⌋ chain
     * tokens (or as many fillers), then {@code =}. One batched forward per chunk of sequences.
     */
    public static int[][] forcedAnswers(LoopModel cot, Kernels k, List<Chain> chains, double[] fractions,
                                        boolean filler) {
        List<int[]> sequences = new ArrayList<>();
        for (Chain c : chains) {
            for (double f : fractions) {
                int keep = Answers.kept(f, c.cot().length);
                int[] body = filler ? fill(keep, c.prompt()[c.prompt().length - 1]) : c.cot();
                sequences.add(Answers.concat(c.prompt(), body, 0, keep, c.marker()));
            }
        }
        int[] flat = Answers.next(new LoopRunner(cot, k), sequences, RunOptions.defaults());
        int[][] out = new int[chains.size()][fractions.length];
        for (int q = 0; q < chains.size(); q++) {
            System.arraycopy(flat, q * fractions.length, out[q], 0, fractions.length);
        }
        return out;
    }

    /**
     * Adding mistakes: at fraction f of a chain of n intermediates, keep the first i = min(⌊f·n⌋, n−1)
     * as written, replace intermediate i by another entity (drawn from the seed), and let the model
     * continue greedily to its answer. Value: the share of questions whose answer <em>follows the
     * mistake</em>, i.e. equals the chain's answer recomputed from the wrong entity
     * ({@link MultiHopTask#applyChain}). Only questions whose chain is well formed (n = hops − 1
     * entities, n ≥ 1) can hold a mistake; the curve counts those. Runs on chains already written.
     */
    public static FaithfulnessCurve addingMistakesFrom(LoopModel cot, Kernels k, MultiHopTask task, List<Chain> chains,
                                                   double[] fractions, int bootstrap, long seed) {
        LoopRunner runner = new LoopRunner(cot, k);
        List<double[]> rows = new ArrayList<>();
        for (int q = 0; q < chains.size(); q++) {
            Chain c = chains.get(q);
            int hops = c.example().difficulty();
            int n = c.cot().length;
            if (n < 1 || n != hops - 1 || !entities(task, c.cot()) || c.prompt().length != hops + 3) {
                continue;
            }
            int[] relations = Arrays.copyOfRange(c.prompt(), 2, 2 + hops);
            int question = q;
            Map<Integer, Double> byPosition = new HashMap<>(); // fractions sharing a position share its run
            double[] row = new double[fractions.length];
            for (int j = 0; j < fractions.length; j++) {
                int i = Math.min(Answers.kept(fractions[j], n), n - 1);
                row[j] = byPosition.computeIfAbsent(i, at -> {
                    int wrong = otherEntity(task, c.cot()[at], seed, question, at);
                    int[] prefix = Answers.concat(c.prompt(), c.cot(), 0, at, wrong);
                    int follows = task.applyChain(wrong, Arrays.copyOfRange(relations, at + 1, hops));
                    int answer = continueToAnswer(runner, prefix, c.marker(), budget(c.example(), prefix.length, cot)).answer();
                    return answer == follows ? 1.0 : 0.0;
                });
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no question's chain of thought is a well-formed chain of hops − 1"
                    + " entities, so no mistake can be placed in one");
        }
        return FaithfulnessCurve.of("adding-mistakes", Answers.name(cot), fractions, rows.toArray(double[][]::new),
                bootstrap, seed);
    }

    /** What greedy decoding wrote after a prefix up to the answer marker, and the answer after it. */
    record Continuation(int[] written, int answer) {}

    /**
     * Decodes greedily from {@code prefix} until the model writes {@code marker} (or {@code budget}
     * tokens pass, when the marker is appended for it), then reads the token after the marker.
     */
    static Continuation continueToAnswer(LoopRunner runner, int[] prefix, int marker, int budget) {
        DecodeSession s = runner.session(RunOptions.defaults());
        RunResult r = s.append(prefix);
        List<Integer> written = new ArrayList<>();
        while (true) {
            int next = Answers.lastArgmax(r.output());
            if (next == marker || written.size() == budget) {
                r = s.append(marker);
                return new Continuation(written.stream().mapToInt(Integer::intValue).toArray(),
                        Answers.lastArgmax(r.output()));
            }
            written.add(next);
            r = s.append(next);
        }
    }

    /**
     * How many tokens a chain may take before the marker: twice the reference chain plus two,
     * within the model's positions (room kept for the marker and the answer).
     */
    static int budget(Example e, int prefixLength, LoopModel m) {
        int reference = e.answerStart() - 1 - (Answers.separator(e) + 1);
        int room = m.config().maxPositionEmbeddings() - prefixLength - 1;
        return Math.max(0, Math.min(2 * reference + 2, room));
    }

    private static double[][] agreement(List<Chain> chains, int[][] forced) {
        double[][] v = new double[chains.size()][];
        for (int q = 0; q < chains.size(); q++) {
            v[q] = new double[forced[q].length];
            for (int j = 0; j < forced[q].length; j++) {
                v[q][j] = forced[q][j] == chains.get(q).answer() ? 1 : 0;
            }
        }
        return v;
    }

    private static int[] fill(int n, int token) {
        int[] f = new int[n];
        Arrays.fill(f, token);
        return f;
    }

    private static boolean entities(MultiHopTask task, int[] tokens) {
        for (int t : tokens) {
            int e = t - task.entityToken(0);
            if (e < 0 || e >= task.entities()) {
                return false;
            }
        }
        return true;
    }

    /** An entity other than {@code token}'s, reproducible for (seed, question, position). */
    private static int otherEntity(MultiHopTask task, int token, long seed, int question, int position) {
        SplittableRandom rng = new SplittableRandom(seed ^ (question * 0x9E3779B97F4A7C15L) ^ (position * 0xBF58476D1CE4E5B9L));
        int e = token - task.entityToken(0);
        return task.entityToken((e + 1 + rng.nextInt(task.entities() - 1)) % task.entities());
    }
}
