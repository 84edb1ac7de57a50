package org.looplens.analyses.patching;

import java.util.List;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.ResumePoint;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.trace.Intervention;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;

/**
 * Runs one input many times, each with interventions at one site, reusing the prefix: the input
 * runs once with the captures a {@link ResumePoint} needs, and every variant resumes at the step
 * and layer of its site (a step-level site after the step's last layer), so it computes only what
 * follows. Counts the layer applications done and those a from-scratch sweep would do. With
 * {@code reuse} false every variant runs from the embedding (to measure what reuse saves).
 */
final class ResumedRuns {
    private final LoopRunner runner;
    private final int[] tokens;
    private final RunOptions options;
    private final boolean reuse;
    private final int layers;
    private final RunResult base;
    private final long perRun;
    private int runs;
    private long evaluations;
    private long scratch;

    ResumedRuns(LoopModel model, Kernels kernels, int[] tokens, RunOptions options, boolean reuse) {
        this.runner = new LoopRunner(model, kernels);
        this.tokens = tokens;
        this.options = options;
        this.reuse = reuse;
        this.layers = model.config().numLayers();
        this.base = runner.forward(tokens, reuse ? options.withCapture(options.capture()
                .plus(ResumePoint.capture(options.exitPolicy()))) : options);
        this.perRun = (long) base.steps() * layers;
        count(perRun);
    }

    /** The unchanged run (its trace holds the options' captures). */
    RunResult base() {
        return base;
    }

    /** Layer applications of one run from scratch: steps × layers. */
    long perRun() {
        return perRun;
    }

    /** The input run with these interventions, all at {@code site} or later. */
    RunResult run(Site site, List<Intervention> interventions) {
        RunOptions changed = options.withInterventions(interventions);
        if (!reuse || site.kind() == SiteKind.EMBED) {
            count(perRun);
            return runner.forward(tokens, changed);
        }
        int layer = site.kind().scope() == SiteKind.Scope.LAYER ? site.layer() : layers;
        count(perRun - ((long) site.step() * layers + layer));
        return runner.forward(tokens, changed.withResume(ResumePoint.of(base, site.step(), layer)));
    }

    private void count(long computed) {
        runs++;
        evaluations += computed;
        scratch += perRun;
    }

    /** What the runs so far cost, with wall time measured from {@code startNanos}. */
    SweepCost cost(long startNanos) {
        return new SweepCost(runs, evaluations, scratch, (System.nanoTime() - startNanos) / 1e9);
    }
}
