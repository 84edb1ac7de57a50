package org.looplens.analyses.probes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.looplens.engine.data.Example;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.RunOptions;

/**
 * Linear probes of the loop's hidden state: at every step, at the last prompt position, can a
 * linear classifier read the final answer, or the entity after hop j? Questions are grouped by hop
 * count k (their number of intermediates), each group split into train and held-out folds by the
 * seed; every probe has a control-task and a shuffled-label baseline on the same folds.
 */
public final class StepProbes {
    private StepProbes() {}

    /** Runs the examples' prompts (tokens before the answer) and probes their states. */
    public static ProbeReport run(LoopModel model, Kernels kernels, List<Example> examples, ProbeTarget target,
                                  RunOptions options, double trainFraction, long seed) {
        checkExamples(examples);
        return analyse(ProbeStates.ofQuestions(model, kernels, examples, options), examples, target, trainFraction, seed);
    }

    /** Probes already captured states ({@code states.states()[t][i]} belongs to {@code examples.get(i)}). */
    public static ProbeReport analyse(ProbeStates states, List<Example> examples, ProbeTarget target,
                                      double trainFraction, long seed) {
        checkExamples(examples);
        if (states.questions() != examples.size()) {
            throw new IllegalArgumentException(states.questions() + " captured states for " + examples.size() + " examples");
        }
        TreeMap<Integer, List<Integer>> byHops = new TreeMap<>();
        for (int i = 0; i < examples.size(); i++) {
            byHops.computeIfAbsent(examples.get(i).intermediates().length, k -> new ArrayList<>()).add(i);
        }
        List<ProbeGrid> groups = new ArrayList<>();
        for (var group : byHops.entrySet()) {
            groups.add(grid(states, examples, group.getKey(), group.getValue(), target, trainFraction, seed));
        }
        int n = examples.size();
        ProbeFolds folds = ProbeFolds.split(n, trainFraction, seed);
        int[] answers = new int[n];
        for (int i = 0; i < n; i++) {
            answers[i] = answer(examples.get(i));
        }
        double[][][] all = states.states();
        double[][] agreement = AgreementMatrix.of(answerPredictions(answerProbes(all, answers, folds), all, folds));
        return new ProbeReport(target, states.steps(), trainFraction, seed, List.copyOf(groups), agreement,
                folds.test().length);
    }

    private static ProbeGrid grid(ProbeStates all, List<Example> examples, int hops, List<Integer> members,
                                  ProbeTarget target, double trainFraction, long seed) {
        int n = members.size();
        int steps = all.steps();
        double[][][] states = new double[steps][n][];
        int[][] hopLabels = new int[hops][n];
        int[] start = new int[n];
        int[] answers = new int[n];
        int modelCorrect = 0;
        ProbeFolds folds;
        try {
            folds = ProbeFolds.split(n, trainFraction, seed ^ (0x9E3779B97F4A7C15L * hops));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + hops + "-hop questions: " + e.getMessage(), e);
        }
        for (int q = 0; q < n; q++) {
            Example e = examples.get(members.get(q));
            for (int t = 0; t < steps; t++) {
                states[t][q] = all.states()[t][members.get(q)];
            }
            for (int j = 0; j < hops; j++) {
                hopLabels[j][q] = e.intermediates()[j];
            }
            start[q] = controlFeature(e);
            answers[q] = answer(e);
        }
        for (int q : folds.test()) {
            modelCorrect += all.outputs()[members.get(q)] == answers[q] ? 1 : 0;
        }
        int[] targetHops = target == ProbeTarget.ANSWER ? new int[] {hops} : rangeClosed(1, hops);
        int rows = targetHops.length;
        double[][] accuracy = new double[rows][steps];
        double[][] control = new double[rows][steps];
        double[][] shuffled = new double[rows][steps];
        LinearProbe[] answerProbes = new LinearProbe[steps]; // the last row's probes, reused for the agreement
        for (int r = 0; r < rows; r++) {
            int hop = targetHops[r];
            int[] labels = hop == hops ? answers : hopLabels[hop - 1];
            int classes = (int) Arrays.stream(labels).distinct().count();
            int[] controlLabels = ControlTask.labels(start, classes, seed + hop);
            int[] shuffledLabels = shuffleWithin(labels, folds.train(), seed + 31L * hop);
            for (int t = 0; t < steps; t++) {
                LinearProbe probe = LinearProbe.train(states[t], labels, folds.train());
                if (hop == hops) {
                    answerProbes[t] = probe;
                }
                accuracy[r][t] = probe.accuracy(states[t], labels, folds.test());
                control[r][t] = LinearProbe.train(states[t], controlLabels, folds.train())
                        .accuracy(states[t], controlLabels, folds.test());
                shuffled[r][t] = LinearProbe.train(states[t], shuffledLabels, folds.train())
                        .accuracy(states[t], labels, folds.test());
            }
        }
        double[][] agreement = AgreementMatrix.of(answerPredictions(answerProbes, states, folds));
        return new ProbeGrid(hops, folds.train().length, folds.test().length, targetHops, accuracy, control, shuffled,
                agreement, (double) modelCorrect / folds.test().length);
    }

    /** Per step, a probe of the answer trained on the train fold. */
    private static LinearProbe[] answerProbes(double[][][] states, int[] answers, ProbeFolds folds) {
        LinearProbe[] probes = new LinearProbe[states.length];
        for (int t = 0; t < states.length; t++) {
            probes[t] = LinearProbe.train(states[t], answers, folds.train());
        }
        return probes;
    }

    /** Per step, the answer probe's predictions on the held-out fold. */
    private static int[][] answerPredictions(LinearProbe[] probes, double[][][] states, ProbeFolds folds) {
        int[][] out = new int[states.length][folds.test().length];
        for (int t = 0; t < states.length; t++) {
            for (int q = 0; q < folds.test().length; q++) {
                out[t][q] = probes[t].predict(states[t][folds.test()[q]]);
            }
        }
        return out;
    }

    /** The labels with the train fold's entries permuted among themselves: a probe of noise. */
    private static int[] shuffleWithin(int[] labels, int[] rows, long seed) {
        int[] out = labels.clone();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = rows.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = out[rows[i]];
            out[rows[i]] = out[rows[j]];
            out[rows[j]] = t;
        }
        return out;
    }

    /** The question's first token after {@code <bos>}: the start entity of a multi-hop question. */
    static int controlFeature(Example e) {
        return e.tokens()[Math.min(1, e.answerStart() - 1)];
    }

    static int answer(Example e) {
        return e.answer()[0];
    }

    /** Refuses questions that cannot be probed: none at all, or a task that records no intermediates. */
    public static void checkExamples(List<Example> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no questions to probe");
        }
        for (int i = 0; i < examples.size(); i++) {
            if (examples.get(i).intermediates().length == 0) {
                throw new IllegalArgumentException("question " + i + " (" + examples.get(i).text() + ") records no "
                        + "intermediate results; probes need a task that does, such as multihop");
            }
        }
    }

    private static int[] rangeClosed(int from, int to) {
        int[] out = new int[to - from + 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }
}
