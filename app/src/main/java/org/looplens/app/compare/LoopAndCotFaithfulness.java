package org.looplens.app.compare;

import java.util.List;
import org.looplens.analyses.faithfulness.CotFaithfulness;
import org.looplens.analyses.faithfulness.FaithfulnessCurve;
import org.looplens.analyses.faithfulness.LatentFaithfulness;
import org.looplens.engine.data.Example;
import org.looplens.engine.data.MultiHopTask;
import org.looplens.engine.data.Task;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;

/**
 * The same faithfulness questions put to written and to latent reasoning: early answering,
 * adding mistakes and filler tokens for the CoT member (after Lanham et al. 2023); early exit,
 * corrupting a step and noise at a step for LoopLM members. Flat and deep members have no steps
 * to intervene on and get no curves.
 */
public final class LoopAndCotFaithfulness implements FaithfulnessSuite {
    /** Fractions of the written chain kept (or intervened on) for the CoT tests. */
    static final double[] FRACTIONS = {0, 0.25, 0.5, 0.75, 1};

    private final double noiseSigma;

    /** @param noiseSigma the noise's standard deviation relative to the state's norm */
    public LoopAndCotFaithfulness(double noiseSigma) {
        this.noiseSigma = noiseSigma;
    }

    @Override
    public List<FaithfulnessCurveRow> run(ExperimentSpec.Member member, Task task, LoopModel model, Kernels kernels,
                                          List<Example> examples, int bootstrap, long seed) {
        return switch (member.kind()) {
            case COT -> {
                List<CotFaithfulness.Chain> chains = CotFaithfulness.chains(model, kernels, examples);
                FaithfulnessCurve early = CotFaithfulness.earlyAnsweringFrom(model, kernels, chains, FRACTIONS, bootstrap, seed);
                FaithfulnessCurve filler = CotFaithfulness.fillerTokensFrom(model, kernels, chains, FRACTIONS, bootstrap, seed);
                if (task instanceof MultiHopTask multiHop) {
                    try {
                        yield rows(member, early, filler, CotFaithfulness.addingMistakesFrom(model, kernels, multiHop,
                                chains, FRACTIONS, bootstrap, seed));
                    } catch (IllegalArgumentException noWellFormedChain) {
                        // a model that never writes a well-formed chain has no intermediate to corrupt: no curve
                    }
                }
                yield rows(member, early, filler); // mistakes need a task that can recompute a chain
            }
            case LOOP -> member.loops() < 2 ? List.of() : rows(member,
                    LatentFaithfulness.earlyExit(model, kernels, examples, bootstrap, seed),
                    LatentFaithfulness.corruptStep(model, kernels, examples, bootstrap, seed),
                    LatentFaithfulness.noise(model, kernels, examples, noiseSigma, bootstrap, seed));
            case FLAT, DEEP -> List.of();
        };
    }

    private static List<FaithfulnessCurveRow> rows(ExperimentSpec.Member member, FaithfulnessCurve... curves) {
        return java.util.Arrays.stream(curves).map(c -> new FaithfulnessCurveRow(c.test(), member.name(), c.fraction(),
                c.value(), c.lo(), c.hi(), c.areaOverCurve(), c.questions())).toList();
    }
}
