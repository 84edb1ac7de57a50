package org.looplens.engine.train;

/**
 * What an objective hands to the backward pass: the gradient of the loss with respect to each
 * step's logits and gate logits, over the packed rows. A null entry means no gradient there.
 */
public final class StepGradients {
    final float[][] logits;
    final float[][] gate;

    private final float[][] logitsSpare;
    private final float[][] gateSpare;

    public StepGradients(int steps) {
        logits = new float[steps][];
        gate = new float[steps][];
        logitsSpare = new float[steps][];
        gateSpare = new float[steps][];
    }

    /** Forgets the gradients of the previous batch; their buffers are kept for reuse. */
    public void clear() {
        java.util.Arrays.fill(logits, null);
        java.util.Arrays.fill(gate, null);
    }

    /** A zeroed buffer of at least {@code size} floats for step t's logit gradients, now in use. */
    float[] useLogits(int step, int size) {
        logitsSpare[step] = zeroed(logitsSpare[step], size);
        return logits[step] = logitsSpare[step];
    }

    /** A zeroed buffer of at least {@code size} floats for step t's gate gradients, now in use. */
    float[] useGate(int step, int size) {
        gateSpare[step] = zeroed(gateSpare[step], size);
        return gate[step] = gateSpare[step];
    }

    private static float[] zeroed(float[] buffer, int size) {
        if (buffer == null || buffer.length < size) {
            return new float[size];
        }
        java.util.Arrays.fill(buffer, 0, size, 0f);
        return buffer;
    }

    public float[] logits(int step) {
        return logits[step];
    }

    public float[] gate(int step) {
        return gate[step];
    }
}
