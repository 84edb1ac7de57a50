package org.looplens.app.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.looplens.analyses.NpyWriter;
import org.looplens.analyses.probes.LinearProbe;
import org.looplens.analyses.probes.ProbeStates;
import org.looplens.analyses.steering.SteeringEffect;
import org.looplens.analyses.steering.SteeringSweep;
import org.looplens.analyses.steering.SteeringSweeps;
import org.looplens.analyses.steering.SteeringVectors;
import org.looplens.app.figures.SteeringFigure;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.app.inspect.PromptInspection;
import org.looplens.app.inspect.TokenIds;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.data.Example;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code looplens analyze steering}: add a vector at one site at a range of strengths and watch the output. */
@Command(name = "steering", mixinStandardHelpOptions = true,
        description = "Add strength × a vector at one residual-width site and report, per strength, KL(steered ‖ base), "
                + "the top-1 token, the target's probability and the entropy at the read position. The vector is a "
                + "difference of activations (--clean and --corrupt prompts), a file (--vector), or the direction "
                + "of an answer probe trained on a spec's questions (--probe-spec, at a step_hidden site).")
final class SteeringCommand extends AnalysisCommand {
    @Mixin
    CheckpointOption checkpoint;

    @Option(names = "--text", paramLabel = "STR", description = "The prompt as text.")
    String text;

    @Option(names = "--tokens", paramLabel = "IDS", description = "The prompt as comma-separated token ids.")
    String tokens;

    @Option(names = "--site", required = true, paramLabel = "SITE",
            description = "STEP,LAYER,KIND (e.g. 1,0,mid), STEP,KIND (e.g. 2,step_hidden) or embed; 0-based.")
    String site;

    @Option(names = "--positions", paramLabel = "I,J", description = "Positions steered (default: the last).")
    String positions;

    @Option(names = "--strengths", paramLabel = "S,S", defaultValue = "0,0.5,1,2,4,8",
            description = "Strengths (default 0,0.5,1,2,4,8).")
    String strengths;

    @Option(names = "--target", paramLabel = "TOKEN",
            description = "Token whose probability is followed (id or text; default: the clean prompt's answer with "
                    + "--clean, else the prompt's own answer).")
    String target;

    // Two single-valued options rather than one of arity 2: prompts hold spaces, and the workbench edits each in its own field.
    @Option(names = "--clean", paramLabel = "STR",
            description = "With --corrupt: the vector is this prompt's activation at the site minus the corrupt one's "
                    + "(last positions).")
    String clean;

    @Option(names = "--corrupt", paramLabel = "STR", description = "The prompt subtracted from --clean's activation.")
    String corrupt;

    @Option(names = "--vector", paramLabel = "FILE", description = "The vector as numbers in a text file.")
    Path vector;

    @Option(names = "--probe-spec", paramLabel = "SPEC.json",
            description = "Train an answer probe on this spec's test questions at the site's step; steer from the prompt's "
                    + "probed answer towards --target, the direction scaled to the mean state norm.")
    Path probeSpec;

    @Option(names = "--steps", paramLabel = "T", description = "Loop steps (default: the trained T).")
    Integer steps;

    @Override
    AnalysisResult analyse(CheckpointOpener opener) {
        if ((clean == null) != (corrupt == null)) {
            throw new InvalidInputException(clean == null ? "--clean" : "--corrupt", "give both --clean and --corrupt");
        }
        int sources = (clean == null ? 0 : 1) + (vector == null ? 0 : 1) + (probeSpec == null ? 0 : 1);
        if (sources != 1) {
            throw new InvalidInputException("--clean/--vector/--probe-spec", "give exactly one source of the vector");
        }
        Site at = SiteOption.parse(site, "--site");
        if (!SteeringSweeps.RESIDUAL.contains(at.kind())) {
            throw new InvalidInputException("--site", at.kind().name().toLowerCase(Locale.ROOT) + " is not residual-width;"
                    + " steer at embed, attn_in, attn_out, mid, mlp_in, mlp_out, layer_out, step_prenorm or step_hidden");
        }
        double[] strengthList = Strengths.parse(strengths, "--strengths");
        OpenCheckpoint open = checkpoint.open(opener);
        if (text == null && tokens == null) {
            throw new InvalidInputException("--text", "give the prompt as --text or --tokens");
        }
        int[] prompt = PromptInspection.tokens(open, text, tokens);
        RunOptions options = StepsOption.apply(RunOptions.defaults(), steps);
        int last = prompt.length - 1;
        int[] steered = positions == null ? new int[] {last} : TokenIds.parse(positions);
        for (int p : steered) {
            if (p < 0 || p > last) {
                throw new InvalidInputException("--positions", p + " is outside the prompt's 0.." + last);
            }
        }
        LoopRunner runner = new LoopRunner(open.model(), CpuKernels.shared());
        int targetToken;
        float[] v;
        if (clean != null) {
            int[] plus = PromptInspection.tokens(open, clean, null);
            int[] minus = PromptInspection.tokens(open, corrupt, null);
            v = guarded(() -> SteeringVectors.meanDifference(open.model(), CpuKernels.shared(), List.of(plus),
                    List.of(minus), at, options));
            targetToken = target != null ? open.token(target, "--target") : answer(runner, plus, options);
        } else if (vector != null) {
            v = SteeringVectors.read(vector);
            targetToken = target != null ? open.token(target, "--target") : answer(runner, prompt, options);
        } else {
            if (target == null) {
                throw new InvalidInputException("--target", "steering along a probe needs the answer to steer towards");
            }
            targetToken = open.token(target, "--target");
            v = probeDirection(open, prompt, at, targetToken, options);
        }
        float[] direction = v;
        SteeringSweep sweep = guarded(() -> SteeringSweeps.sweep(open.model(), CpuKernels.shared(), prompt, at, direction,
                steered, strengthList, last, targetToken, options));
        StringBuilder o = new StringBuilder(String.format(Locale.ROOT, "steering at %s (vector norm %.3f); base answer %s,"
                + " p(%s) = %.3f", sweep.site(), sweep.vectorNorm(), open.tokenText(sweep.baseTop1()),
                open.tokenText(targetToken), sweep.baseTargetProb()));
        for (SteeringEffect e : sweep.effects()) {
            o.append(String.format(Locale.ROOT, "%n  strength %-6s KL %.4f  top-1 %s%s  p(target) %.4f  entropy %.3f",
                    e.strength(), e.kl(), open.tokenText(e.top1()), e.changed() ? " (changed)" : "", e.targetProb(),
                    e.entropy()));
        }
        return new AnalysisResult(SteeringFigure.of(sweep, open.tokenText(targetToken)), Map.of(
                "strengths", NpyWriter.npy(sweep.strengths()),
                "kl", NpyWriter.npy(sweep.kl()),
                "target_prob", NpyWriter.npy(sweep.targetProb()),
                "entropy", NpyWriter.npy(sweep.entropy()),
                "top1", NpyWriter.npy(sweep.effects().stream().mapToDouble(SteeringEffect::top1).toArray()),
                "vector", NpyWriter.npy(toDouble(direction))), o.toString());
    }

    /** The answer probe at the site's step, from the prompt's probed answer towards the target. */
    private float[] probeDirection(OpenCheckpoint open, int[] prompt, Site at, int targetToken, RunOptions options) {
        if (at.kind() != SiteKind.STEP_HIDDEN) {
            throw new InvalidInputException("--site", "probes read step_hidden; steer along a probe at STEP,step_hidden");
        }
        ProbeQuestions questions = new ProbeQuestions();
        questions.spec = probeSpec;
        questions.split = "test";
        questions.questions = 2048;
        List<Example> examples = questions.load(open);
        List<int[]> prompts = examples.stream().map(e -> Arrays.copyOf(e.tokens(), e.answerStart())).toList();
        ProbeStates states = guarded(() -> ProbeStates.capture(open.model(), CpuKernels.shared(), prompts, options));
        double[][] x = states.states()[at.step()];
        int[] answers = examples.stream().mapToInt(e -> e.answer()[0]).toArray();
        int[] all = new int[x.length];
        Arrays.setAll(all, i -> i);
        LinearProbe probe = LinearProbe.train(x, answers, all);
        if (!probe.knows(targetToken)) {
            throw new InvalidInputException("--target", open.tokenText(targetToken) + " is not an answer the probe has seen");
        }
        double[][] own = ProbeStates.capture(open.model(), CpuKernels.shared(), List.of(prompt), options).states()[at.step()];
        int from = probe.predict(own[0]);
        if (from == targetToken) {
            throw new InvalidInputException("--target", "the probe already reads " + open.tokenText(targetToken)
                    + " at step " + at.step() + "; choose another target");
        }
        double scale = 0;
        for (double[] row : x) {
            double sq = 0;
            for (double value : row) {
                sq += value * value;
            }
            scale += Math.sqrt(sq) / x.length;
        }
        return SteeringVectors.withLength(probe.direction(from, targetToken), scale);
    }

    private static int answer(LoopRunner runner, int[] prompt, RunOptions options) {
        var run = runner.forward(prompt, options);
        double[] lp = SteeringSweeps.logProbs(run, prompt.length - 1);
        int best = 0;
        for (int j = 1; j < lp.length; j++) {
            best = lp[j] > lp[best] ? j : best;
        }
        return best;
    }


    private static <T> T guarded(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("steering", e.getMessage());
        }
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            out[j] = v[j];
        }
        return out;
    }
}
