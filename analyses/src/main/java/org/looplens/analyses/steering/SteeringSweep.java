package org.looplens.analyses.steering;

import java.util.List;
import java.util.Locale;
import org.looplens.engine.trace.Site;

/**
 * A steering vector added at one site at a range of strengths, and the output at the read
 * position under each, against the unsteered run.
 *
 * @param site         where the vector was added
 * @param positions    the absolute positions it was added at (null: all)
 * @param readPosition the position whose output is measured (0-based within the input)
 * @param target       the token whose probability is followed
 * @param vectorNorm   the vector's L2 norm (strength × norm is the length added)
 * @param baseTop1     the unsteered run's most likely token
 * @param baseTargetProb the unsteered probability of the target
 * @param baseEntropy  the unsteered entropy in nats
 * @param effects      one per strength, in the order given
 */
public record SteeringSweep(Site site, int[] positions, int readPosition, int target, double vectorNorm, int baseTop1,
                            double baseTargetProb, double baseEntropy, List<SteeringEffect> effects) {

    public double[] strengths() {
        return effects.stream().mapToDouble(SteeringEffect::strength).toArray();
    }

    public double[] kl() {
        return effects.stream().mapToDouble(SteeringEffect::kl).toArray();
    }

    public double[] targetProb() {
        return effects.stream().mapToDouble(SteeringEffect::targetProb).toArray();
    }

    public double[] entropy() {
        return effects.stream().mapToDouble(SteeringEffect::entropy).toArray();
    }

    /** One row per strength. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("strength,kl,top1,changed,target_prob,entropy\n");
        for (SteeringEffect e : effects) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%d,%b,%s,%s%n", e.strength(), e.kl(), e.top1(), e.changed(),
                    e.targetProb(), e.entropy()));
        }
        return sb.toString();
    }
}
