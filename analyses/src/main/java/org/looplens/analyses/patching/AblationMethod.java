package org.looplens.analyses.patching;

/**
 * What replaces an activation in an ablation. Mean: its mean over a prompt set (per position,
 * over the prompts of the input's length), a fixed "typical" value with the input's information
 * gone. Resample: its value on other prompts of the set, one at a time, with the effect averaged;
 * a realistic value that carries some other input's information instead.
 */
public enum AblationMethod {
    MEAN, RESAMPLE;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
