package org.looplens.app.compare;

/**
 * Held-out accuracy on the questions of one difficulty (hop count, expression depth).
 *
 * @param difficulty     the difficulty
 * @param beyondTraining whether it is harder than any question seen in training
 * @param questions      how many questions
 * @param accuracy       exact-match accuracy (at the model's last loop step)
 */
public record DifficultyAccuracy(int difficulty, boolean beyondTraining, int questions, double accuracy) {}
