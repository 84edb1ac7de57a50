package org.looplens.analyses.faithfulness;

import java.util.Locale;
import org.looplens.analyses.patching.PercentileBootstrap;

/**
 * One faithfulness test as a curve: {@code value[i]} is the share of questions passing the test
 * when a {@code fraction[i]} share of the reasoning is kept (chain-of-thought tokens, or loop
 * steps), with a 95% percentile bootstrap interval over the questions. What "passing" means is the
 * test's: the answer is unchanged, or it follows an intervention (see {@link CotFaithfulness} and
 * {@link LatentFaithfulness}).
 *
 * <p>{@code areaOverCurve} is Lanham et al.'s summary: 1 − the trapezoid area under value over
 * fraction. When the fractions do not span [0, 1] the area is divided by the span they cover, so
 * it is 1 − the curve's mean height over its own range (a single point gives 1 − its value).
 *
 * @param questions how many questions the curve averages
 */
public record FaithfulnessCurve(String test, String model, double[] fraction, double[] value, double[] lo,
                                double[] hi, double areaOverCurve, int questions) {
    /** The interval's confidence. */
    public static final double CONFIDENCE = 0.95;

    public FaithfulnessCurve {
        int n = fraction.length;
        if (n == 0 || value.length != n || lo.length != n || hi.length != n) {
            throw new IllegalArgumentException("a curve needs at least one point and as many values and interval ends as"
                    + " fractions; got " + n + " fractions, " + value.length + " values, " + lo.length + " lo, "
                    + hi.length + " hi");
        }
        checkFractions(fraction);
    }

    /**
     * The curve of per-question outcomes {@code passed[question][point]} (1 passed, 0 not), with
     * {@code resamples} bootstrap resamples over the questions drawn from {@code seed}.
     */
    public static FaithfulnessCurve of(String test, String model, double[] fraction, double[][] passed, int resamples,
                                       long seed) {
        if (passed.length == 0) {
            throw new IllegalArgumentException(test + ": no questions to measure");
        }
        checkFractions(fraction);
        PercentileBootstrap b = PercentileBootstrap.of(passed, resamples, seed, CONFIDENCE);
        return new FaithfulnessCurve(test, model, fraction.clone(), b.mean(), b.lo(), b.hi(),
                areaOverCurve(fraction, b.mean()), passed.length);
    }

    /** 1 − the trapezoid area of value over fraction, per unit of the fractions' span. */
    public static double areaOverCurve(double[] fraction, double[] value) {
        checkFractions(fraction);
        if (fraction.length == 1) {
            return 1 - value[0];
        }
        double area = 0;
        for (int i = 1; i < fraction.length; i++) {
            area += (fraction[i] - fraction[i - 1]) * (value[i] + value[i - 1]) / 2;
        }
        return 1 - area / (fraction[fraction.length - 1] - fraction[0]);
    }

    private static void checkFractions(double[] fraction) {
        for (int i = 0; i < fraction.length; i++) {
            if (!(fraction[i] >= 0 && fraction[i] <= 1) || (i > 0 && !(fraction[i] > fraction[i - 1]))) {
                throw new IllegalArgumentException("fractions must rise strictly within [0, 1], got "
                        + java.util.Arrays.toString(fraction));
            }
        }
    }

    /** One row per point; the test, model, area and question count repeat on every row. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("test,model,fraction,value,lo,hi,area_over_curve,questions\n");
        for (int i = 0; i < fraction.length; i++) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%s,%d%n", test, model, fraction[i], value[i], lo[i],
                    hi[i], areaOverCurve, questions));
        }
        return sb.toString();
    }
}
