package org.looplens.app.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.looplens.analyses.NpyWriter;
import org.looplens.analyses.probes.ProbeGrid;
import org.looplens.analyses.probes.ProbeReport;
import org.looplens.analyses.probes.ProbeStates;
import org.looplens.analyses.probes.ProbeSteering;
import org.looplens.analyses.probes.ProbeTarget;
import org.looplens.analyses.probes.StepProbes;
import org.looplens.app.figures.AgreementMatrixFigure;
import org.looplens.app.figures.ProbeAccuracyFigure;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.data.Example;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.run.RunOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code looplens analyze probes}: linear probes of every loop step's state, per hop count, with baselines. */
@Command(name = "probes", mixinStandardHelpOptions = true,
        description = "Train a linear probe on the state after every loop step (at the last prompt position) to read "
                + "the answer or the entity after each hop; report held-out accuracy per hop × step with a control task "
                + "and shuffled labels, and how often the steps' answer probes agree.")
final class ProbesCommand extends AnalysisCommand {
    @Mixin
    CheckpointOption checkpoint;

    @Mixin
    ProbeQuestions source;

    @Option(names = "--target", paramLabel = "WHAT", defaultValue = "hop",
            description = "answer (the final answer only) or hop (the entity after every hop); default hop.")
    String target;

    @Option(names = "--steps", paramLabel = "T", description = "Loop steps (default: the trained T).")
    Integer steps;

    @Option(names = "--train-fraction", paramLabel = "F", defaultValue = "0.7",
            description = "Share of each hop count's questions the probes are fitted on (default 0.7).")
    double trainFraction;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the folds and baselines (default 1).")
    long seed;

    @Option(names = "--figure", paramLabel = "WHICH", defaultValue = "accuracy",
            description = "The figure of a .png/.svg/.pdf --out: accuracy (hop × step) or agreement (step × step).")
    String figure;

    @Option(names = "--steer-step", paramLabel = "T",
            description = "Also steer along the answer probe's direction at this step (0-based): does the output follow?")
    Integer steerStep;

    @Option(names = "--strengths", paramLabel = "S,S", defaultValue = "0,0.5,1,2,4",
            description = "Steering strengths, in units of the step's mean state norm (default 0,0.5,1,2,4).")
    String strengths;

    @Override
    AnalysisResult analyse(CheckpointOpener opener) {
        ProbeTarget what;
        try {
            what = ProbeTarget.parse(target);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--target", e.getMessage());
        }
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new InvalidInputException("--train-fraction", "must lie in (0, 1), got " + trainFraction);
        }
        if (!figure.equals("accuracy") && !figure.equals("agreement")) {
            throw new InvalidInputException("--figure", "'" + figure + "' is not accuracy or agreement");
        }
        double[] strengthList = Strengths.parse(strengths, "--strengths");
        OpenCheckpoint open = checkpoint.open(opener);
        RunOptions options = StepsOption.apply(RunOptions.defaults(), steps);
        int runSteps = options.resolveSteps(open.model().config().totalUtSteps());
        if (steerStep != null && (steerStep < 0 || steerStep >= runSteps)) {
            throw new InvalidInputException("--steer-step", steerStep + " is outside the run's steps 0.." + (runSteps - 1));
        }
        List<Example> examples = source.load(open);
        ProbeReport report;
        ProbeSteering steering = null;
        try {
            // One capture serves the probes and the steering check.
            StepProbes.checkExamples(examples);
            ProbeStates states = ProbeStates.ofQuestions(open.model(), CpuKernels.shared(), examples, options);
            report = StepProbes.analyse(states, examples, what, trainFraction, seed);
            if (steerStep != null) {
                steering = ProbeSteering.check(open.model(), CpuKernels.shared(), examples, states, steerStep,
                        strengthList, options, trainFraction, seed);
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("probes", e.getMessage());
        }
        return new AnalysisResult(figure.equals("agreement") ? AgreementMatrixFigure.of(report, steering)
                : ProbeAccuracyFigure.of(report, steering), arrays(report, steering), summary(report, steering, examples.size()));
    }

    private static Map<String, byte[]> arrays(ProbeReport report, ProbeSteering steering) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (ProbeGrid g : report.groups()) {
            String k = "_k" + g.hops();
            m.put("accuracy" + k, NpyWriter.npy(g.accuracy()));
            m.put("control" + k, NpyWriter.npy(g.control()));
            m.put("selectivity" + k, NpyWriter.npy(g.selectivity()));
            m.put("shuffled" + k, NpyWriter.npy(g.shuffled()));
            m.put("agreement" + k, NpyWriter.npy(g.agreement()));
        }
        m.put("agreement", NpyWriter.npy(report.agreement()));
        if (steering != null) {
            m.put("steering_strengths", NpyWriter.npy(steering.strengths()));
            m.put("steering_became_target", NpyWriter.npy(steering.becameTarget()));
            m.put("steering_target_prob_change", NpyWriter.npy(steering.targetProbChange()));
        }
        return m;
    }

    private static String summary(ProbeReport report, ProbeSteering steering, int questions) {
        java.io.StringWriter text = new java.io.StringWriter();
        PrintWriter o = new PrintWriter(text);
        o.printf(Locale.ROOT, "%d distinct questions, %d loop steps, train fraction %.2f, seed %d%n", questions,
                report.steps(), report.trainFraction(), report.seed());
        for (ProbeGrid g : report.groups()) {
            o.printf(Locale.ROOT, "%d-hop (%d train, %d held out; the model answers %.3f): accuracy (control) per step%n",
                    g.hops(), g.trainQuestions(), g.testQuestions(), g.modelAccuracy());
            for (int r = 0; r < g.targetHops().length; r++) {
                int hop = g.targetHops()[r];
                o.printf(Locale.ROOT, "  %-7s", hop == g.hops() ? "answer" : "hop " + hop);
                for (int t = 0; t < g.steps(); t++) {
                    o.printf(Locale.ROOT, "  %.3f (%.3f)", g.accuracy()[r][t], g.control()[r][t]);
                }
                o.println();
            }
        }
        o.println("answer-probe agreement between steps (" + report.agreementQuestions() + " held out):");
        for (double[] row : report.agreement()) {
            o.print(" ");
            for (double v : row) {
                o.printf(Locale.ROOT, " %.3f", v);
            }
            o.println();
        }
        if (steering != null) {
            o.printf(Locale.ROOT, "steering along the answer probe at step %d (probe accuracy %.3f, %d questions):%n",
                    steering.step(), steering.probeAccuracy(), steering.questions());
            for (int s = 0; s < steering.strengths().length; s++) {
                o.printf(Locale.ROOT, "  strength %-5s output became the target %.3f, mean Δp(target) %+.3f%n",
                        steering.strengths()[s], steering.becameTarget()[s], steering.targetProbChange()[s]);
            }
        }
        o.flush();
        return text.toString().strip();
    }
}
