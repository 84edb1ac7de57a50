package org.looplens.engine.run;

import org.looplens.engine.config.LoopConfig;

/**
 * Everything a forward pass over a packed batch must keep for the backward pass: the
 * {@link LayerBuffers} of every (step, layer), each step's pre-norm and normed states, logits and
 * gate logits, and the attention probabilities of every (step, layer, sequence).
 */
public final class ForwardTape {
    private final int steps;
    private final int rows;
    private final int[] rowStart;
    private final LayerBuffers[][] layers;
    private final float[][] prenorm;
    private final float[][] hidden;
    private final float[][] logits;
    private final float[][] gate;
    private final float[][][][] probs;

    /** A tape for {@code steps} loop steps over sequences of the given lengths, packed in order. */
    public ForwardTape(LoopConfig c, int steps, int[] lengths) {
        this.steps = steps;
        rowStart = new int[lengths.length + 1];
        for (int b = 0; b < lengths.length; b++) {
            rowStart[b + 1] = rowStart[b] + lengths[b];
        }
        rows = rowStart[lengths.length];
        int h = c.hiddenSize();
        layers = new LayerBuffers[steps][c.numLayers()];
        probs = new float[steps][c.numLayers()][lengths.length][];
        prenorm = new float[steps][rows * h];
        hidden = new float[steps][rows * h];
        logits = new float[steps][Math.multiplyExact(rows, c.vocabSize())];
        gate = new float[steps][rows];
        for (int t = 0; t < steps; t++) {
            for (int l = 0; l < c.numLayers(); l++) {
                layers[t][l] = new LayerBuffers(c, rows, true);
                for (int b = 0; b < lengths.length; b++) {
                    probs[t][l][b] = new float[c.numHeads() * lengths[b] * lengths[b]];
                }
            }
        }
    }

    public int steps() {
        return steps;
    }

    public int rows() {
        return rows;
    }

    /** First packed row of sequence b; {@code rowStart(batch)} is the row count. */
    public int rowStart(int b) {
        return rowStart[b];
    }

    public int sequences() {
        return rowStart.length - 1;
    }

    public LayerBuffers layer(int step, int layer) {
        return layers[step][layer];
    }

    /** Attention probabilities {@code [heads][L][L]} of sequence b at (step, layer). */
    public float[] probs(int step, int layer, int b) {
        return probs[step][layer][b];
    }

    /** Output of the last layer of a step, before the final norm {@code [rows, hidden]}. */
    public float[] prenorm(int step) {
        return prenorm[step];
    }

    /** The normed step state h_t {@code [rows, hidden]}. */
    public float[] hidden(int step) {
        return hidden[step];
    }

    public float[] logits(int step) {
        return logits[step];
    }

    public float[] gateLogits(int step) {
        return gate[step];
    }
}
