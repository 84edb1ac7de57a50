package org.looplens.analyses.patching;

/**
 * Which run receives the patch. Denoising runs the corrupted input and restores one clean
 * activation (does this site suffice?); noising runs the clean input and puts in one corrupted
 * activation (is this site necessary?).
 */
public enum PatchDirection {
    DENOISE, NOISE;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
