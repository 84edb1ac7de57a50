package org.looplens.app.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.looplens.analyses.exit.ExitSweep;
import org.looplens.analyses.exit.ExitSweeps;
import org.looplens.analyses.exit.Question;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.data.Example;
import org.looplens.engine.data.Format;
import org.looplens.engine.data.Split;
import org.looplens.engine.data.Task;
import org.looplens.engine.data.TaskSpec;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.Generator;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.Sampling;
import org.looplens.engine.train.Evaluation;
import org.looplens.engine.train.Evaluator;

/**
 * Capability and cost of one member on the held-out TEST split: accuracy per difficulty (the cot
 * member's answers generated greedily after its own chain, by the engine's {@link Evaluator} and
 * {@link Generator}), parameters, FLOPs per question from the cost model, wall time per question
 * answered one at a time, and for LoopLMs the Q-exit sweep priced in FLOPs.
 */
final class MemberMeasurement {
    private final Kernels kernels;
    private final CostModel cost;
    private final ExperimentSpec.EvaluationSettings settings;

    MemberMeasurement(Kernels kernels, CostModel cost, ExperimentSpec.EvaluationSettings settings) {
        this.kernels = kernels;
        this.cost = cost;
        this.settings = settings;
    }

    private static String relative(java.nio.file.Path from, java.nio.file.Path to) {
        java.nio.file.Path a = from.toAbsolutePath().normalize();
        java.nio.file.Path b = to.toAbsolutePath().normalize();
        return a.getRoot() != null && a.getRoot().equals(b.getRoot()) ? a.relativize(b).toString() : b.toString();
    }

    /** The hardest difficulty seen in training, or null when the task has no such notion. */
    static Integer trainedUpTo(TaskSpec task) {
        return switch (task.kind()) {
            case "multihop" -> task.kTrain();
            case "modarith" -> task.depthTrain();
            default -> null;
        };
    }

    /**
     * Measures one member on its task (made from its spec) and those held-out examples; its
     * checkpoint is recorded relative to {@code outDir}, so reports name no machine's paths.
     */
    MemberResult measure(PreparedMember p, LoopModel model, Task task, List<Example> examples, java.nio.file.Path outDir) {
        TaskSpec taskSpec = p.spec().task();
        Format format = taskSpec.format();
        LoopConfig c = model.config();
        int steps = c.totalUtSteps();
        Evaluation ev = new Evaluator(model, kernels).evaluate(task, format, Split.TEST, settings.questions());

        Integer trained = trainedUpTo(taskSpec);
        List<DifficultyAccuracy> byDifficulty = new ArrayList<>();
        ev.byDifficulty().forEach((d, acc) -> byDifficulty.add(new DifficultyAccuracy(d, trained != null && d > trained,
                ev.countByDifficulty().get(d), acc[acc.length - 1])));

        int[] prompt = new int[examples.size()];
        int[] generated = new int[examples.size()];
        for (int i = 0; i < examples.size(); i++) {
            prompt[i] = promptLength(examples.get(i));
            generated[i] = examples.get(i).answerStart() + examples.get(i).answer().length - prompt[i];
        }
        double[] flopsAtStep = new double[steps + 1]; // [s] = mean cost with s loop steps
        for (int s = 1; s <= steps; s++) {
            double sum = 0;
            for (int i = 0; i < examples.size(); i++) {
                sum += cost.flopsPerQuestion(c, s, prompt[i], generated[i]);
            }
            flopsAtStep[s] = sum / examples.size();
        }

        ExitCurve exit = null;
        if (p.member().kind() == MemberKind.LOOP) {
            List<Question> questions = examples.stream().map(Question::of).toList();
            ExitSweep sweep = ExitSweeps.qSweep(model, kernels, questions, ExitSweeps.grid(settings.exitPoints()));
            double[] flops = Arrays.stream(sweep.meanDepth()).map(d -> atDepth(flopsAtStep, d)).toArray();
            exit = new ExitCurve(sweep.q(), sweep.accuracy(), sweep.meanDepth(), flops);
        }
        return new MemberResult(p.member().name(), p.member().kind().jsonName(), steps, c.numLayers(),
                p.provenance().jsonName(), relative(outDir, p.dir()), p.spec().hash(), cost.parameters(c), flopsAtStep[steps],
                secondsPerQuestion(model, examples, prompt, generated), mean(prompt), mean(generated), ev.examples(),
                ev.accuracy(), List.copyOf(byDifficulty), ev.accuracyByStep(), exit);
    }

    /** The tokens read before the model first has to produce anything (the question, without the chain). */
    static int promptLength(Example e) {
        int end = 0;
        while (!e.lossMask()[end]) {
            end++;
        }
        return end + 1;
    }

    /** Cost at a fractional depth: linear between whole steps, where the cost model is affine in the steps. */
    static double atDepth(double[] flopsAtStep, double depth) {
        int steps = flopsAtStep.length - 1;
        double d = Math.max(1, Math.min(steps, depth));
        int lo = (int) Math.floor(d);
        int hi = Math.min(steps, lo + 1);
        return flopsAtStep[lo] + (d - lo) * (flopsAtStep[hi] - flopsAtStep[lo]);
    }

    /**
     * Greedy answers one question at a time, as a user of the model would get them. The same
     * questions are answered once untimed first, so every model is timed with its code compiled.
     */
    private double secondsPerQuestion(LoopModel model, List<Example> examples, int[] prompt, int[] generated) {
        Generator generator = new Generator(new LoopRunner(model, kernels));
        int n = Math.min(settings.timingQuestions(), examples.size());
        for (int i = 0; i < n; i++) {
            answer(generator, examples.get(i), prompt[i], generated[i]);
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            answer(generator, examples.get(i), prompt[i], generated[i]);
        }
        return (System.nanoTime() - start) / 1e9 / n;
    }

    private static void answer(Generator generator, Example e, int prompt, int generated) {
        generator.generate(Arrays.copyOf(e.tokens(), prompt), generated, Sampling.greedy(), RunOptions.defaults(),
                Set.of(), null);
    }

    private static double mean(int[] xs) {
        return Arrays.stream(xs).average().orElse(0);
    }
}
