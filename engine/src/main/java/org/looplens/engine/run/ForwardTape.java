package org.looplens.engine.run;

import org.looplens.engine.config.LoopConfig;

/**
 * Everything a forward pass over a packed batch must keep for the backward pass: the
 * {@link LayerBuffers} of every (step, layer), each step's pre-norm and normed states, logits and
 * gate logits, and the attention probabilities of every (step, layer, sequence).
 *
 * <p>A tape is sized for a capacity of rows and is reused across batches ({@link #reset}), so a
 * training loop does not allocate its largest buffers again at every step.
 */
public final class ForwardTape {
    private final LoopConfig config;
    private final int steps;
    private final int capacityRows;
    private final long capacityProbs;
    private final LayerBuffers[][] layers;
    private final float[][] prenorm;
    private final float[][] hidden;
    private final float[][] logits;
    private final float[][] gate;
    private final float[][][] probs; // [step][layer] → all sequences' [heads][L][L], one after another
    private int[] rowStart = {0};
    private int[] probsStart = {0};

    /** A tape for {@code steps} loop steps over sequences of the given lengths, packed in order. */
    public ForwardTape(LoopConfig c, int steps, int[] lengths) {
        this(c, steps, rows(lengths), probsSize(c, lengths));
        reset(lengths);
    }

    private ForwardTape(LoopConfig c, int steps, int capacityRows, long capacityProbs) {
        RunBudget.tape(c, steps, capacityRows, capacityProbs);
        this.config = c;
        this.steps = steps;
        this.capacityRows = capacityRows;
        this.capacityProbs = capacityProbs;
        int h = c.hiddenSize();
        layers = new LayerBuffers[steps][c.numLayers()];
        probs = new float[steps][c.numLayers()][];
        prenorm = new float[steps][capacityRows * h];
        hidden = new float[steps][capacityRows * h];
        logits = new float[steps][Math.multiplyExact(capacityRows, c.vocabSize())];
        gate = new float[steps][capacityRows];
        for (int t = 0; t < steps; t++) {
            for (int l = 0; l < c.numLayers(); l++) {
                layers[t][l] = new LayerBuffers(c, capacityRows, true);
                probs[t][l] = new float[Math.toIntExact(capacityProbs)];
            }
        }
    }

    /**
     * {@code previous} reset to these lengths when it is large enough and has the same steps;
     * otherwise a new tape (with some headroom, so slowly growing batches settle quickly).
     */
    public static ForwardTape reuse(ForwardTape previous, LoopConfig c, int steps, int[] lengths) {
        if (previous != null && previous.config == c && previous.steps == steps
                && rows(lengths) <= previous.capacityRows && probsSize(c, lengths) <= previous.capacityProbs) {
            previous.reset(lengths);
            return previous;
        }
        ForwardTape tape = new ForwardTape(c, steps, rows(lengths) + rows(lengths) / 4,
                probsSize(c, lengths) + probsSize(c, lengths) / 2);
        tape.reset(lengths);
        return tape;
    }

    private void reset(int[] lengths) {
        rowStart = new int[lengths.length + 1];
        probsStart = new int[lengths.length + 1];
        for (int b = 0; b < lengths.length; b++) {
            rowStart[b + 1] = rowStart[b] + lengths[b];
            probsStart[b + 1] = probsStart[b] + config.numHeads() * lengths[b] * lengths[b];
        }
    }

    private static int rows(int[] lengths) {
        int n = 0;
        for (int len : lengths) {
            n += len;
        }
        return n;
    }

    private static long probsSize(LoopConfig c, int[] lengths) {
        long n = 0;
        for (int len : lengths) {
            n += (long) c.numHeads() * len * len;
        }
        return n;
    }

    public int steps() {
        return steps;
    }

    /** Width of the logits rows. */
    public int vocab() {
        return config.vocabSize();
    }

    /** Rows of the current batch (the buffers may hold more). */
    public int rows() {
        return rowStart[rowStart.length - 1];
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

    /** Attention probabilities of every sequence at (step, layer); see {@link #probsOffset}. */
    public float[] probs(int step, int layer) {
        return probs[step][layer];
    }

    /** Where sequence b's {@code [heads][L][L]} probabilities start in {@link #probs}. */
    public int probsOffset(int b) {
        return probsStart[b];
    }

    /** Output of the last layer of a step, before the final norm {@code [rows, hidden]}. */
    public float[] prenorm(int step) {
        return prenorm[step];
    }

    /** The normed step state h_t {@code [rows, hidden]}. */
    public float[] hidden(int step) {
        return hidden[step];
    }

    /** Step logits {@code [rows, vocab]}. */
    public float[] logits(int step) {
        return logits[step];
    }

    public float[] gateLogits(int step) {
        return gate[step];
    }
}
