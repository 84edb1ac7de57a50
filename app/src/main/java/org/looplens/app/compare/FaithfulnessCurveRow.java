package org.looplens.app.compare;

/**
 * One faithfulness curve for the report, field for field
 * {@code org.looplens.analyses.faithfulness.FaithfulnessCurve}: how a model's answer holds up as
 * a growing fraction of its reasoning (written chain of thought, or latent loop steps) is cut,
 * corrupted or replaced.
 *
 * @param test          e.g. early-answering, adding-mistakes, filler-tokens, early-exit, corrupt-step, noise
 * @param model         the member's name
 * @param fraction      the share of the reasoning intervened on, ascending
 * @param value         the measured quantity at each fraction (e.g. agreement with the original answer)
 * @param lo            lower bootstrap bound per fraction
 * @param hi            upper bootstrap bound per fraction
 * @param areaOverCurve the curve's summary (higher = more faithful)
 * @param questions     questions measured
 */
public record FaithfulnessCurveRow(String test, String model, double[] fraction, double[] value, double[] lo,
                                   double[] hi, double areaOverCurve, int questions) {}
