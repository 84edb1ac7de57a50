package org.looplens.analyses.steering;

/**
 * What one steering strength did to the output distribution at the read position.
 *
 * @param strength   the multiple of the vector added
 * @param kl         KL(steered ‖ base) in nats
 * @param top1       the steered run's most likely token
 * @param changed    whether that differs from the base run's
 * @param targetProb the steered probability of the chosen target token
 * @param entropy    the steered distribution's entropy in nats
 */
public record SteeringEffect(double strength, double kl, int top1, boolean changed, double targetProb, double entropy) {}
