package org.looplens.engine.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LayerWeights;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.model.LoopWeights;
import org.looplens.engine.tensor.FloatTensor;
import org.looplens.engine.tensor.WeightMatrix;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;
import org.looplens.engine.trace.SpillFile;

/**
 * Runs a LoopLM: the shared stack of layers applied T times, every step read out through the
 * final norm, the LM head and the exit gate, exactly as the official Ouro code does.
 *
 * <p>One step, for each layer: {@code mid = x + N2(Attn(N1 x))}, {@code x = mid + N4(MLP(N3 mid))};
 * then {@code h_t = norm(x)}, {@code gate_t = w·h_t + b}, {@code logits_t = head(h_t)}, and
 * {@code h_t} is the input of step t+1.
 *
 * <p>Sequences of a batch are packed row after row (no padding): matrix products run over all
 * rows at once while attention stays within each sequence, so a batch gives exactly the numbers
 * of each sequence run alone. A full forward attends within its own rows; decoding keeps keys and
 * values in a {@link KvCache} per sequence and runs the same code on each new row, which is why
 * the two agree.
 */
public final class LoopRunner {
    private final LoopModel model;
    private final LoopConfig c;
    private final Kernels k;

    public LoopRunner(LoopModel model, Kernels kernels) {
        this.model = model;
        this.c = model.config();
        this.k = kernels;
    }

    public LoopModel model() {
        return model;
    }

    /** Runs one sequence at positions 0..L−1 through all steps. */
    public RunResult forward(int[] tokens, RunOptions options) {
        return forward(List.of(tokens), options).get(0);
    }

    /**
     * Runs a batch of sequences of any lengths; each result equals running its sequence alone.
     * On an interrupted thread it throws {@link CancellationException} before starting, so an
     * analysis made of many runs stops within one run of being cancelled.
     */
    public List<RunResult> forward(List<int[]> sequences, RunOptions options) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("the run's thread was interrupted");
        }
        return run(null, sequences, options, null, spillFor(memoryPlan(sequences, options), options));
    }

    /**
     * As {@link #forward(List, RunOptions)}, placing the captures as {@code plan} (from
     * {@link #memoryPlan} for the same sequences and options) decided: what a caller reported
     * from the plan is then what happens, though the free heap may have changed since.
     */
    public List<RunResult> forward(List<int[]> sequences, RunOptions options, MemoryPlan plan) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("the run's thread was interrupted");
        }
        long captures = CaptureEstimate.bytes(c, steps(options), options, new int[sequences.size()],
                sequences.stream().mapToInt(t -> t.length).toArray());
        if (captures != plan.captureBytes()) {
            throw new IllegalArgumentException("the plan counts " + plan.captureBytes() + " bytes of captures, these"
                    + " sequences and options " + captures + ": it was made for another run");
        }
        return run(null, sequences, options, null, spillFor(plan, options));
    }

    /** A spill file for the plan's captures, or null when they stay in the heap. */
    private static SpillFile spillFor(MemoryPlan plan, RunOptions options) {
        if (!plan.spills()) {
            return null;
        }
        return SpillFile.create(options.spillDirectory(), plan.captureBytes(), "captured activations of "
                + RunBudget.size(plan.captureBytes()) + " do not fit beside the run's " + RunBudget.size(plan.runBytes())
                + " in the " + RunBudget.size(plan.room()) + " it may hold");
    }

    /**
     * What a forward of these sequences would need and where its captures would go, checked as
     * the forward itself checks them (a run whose buffers cannot fit is refused here), without
     * running anything.
     */
    public MemoryPlan memoryPlan(List<int[]> sequences, RunOptions options) {
        int steps = steps(options);
        InputCheck.tokens(c, sequences, 0);
        return RunBudget.forward(c, steps, sequences, options);
    }

    /** A decoding session: prefill a prompt, then append tokens one at a time. */
    public DecodeSession session(RunOptions options) {
        return session(options, KvSharing.FULL);
    }

    /**
     * A decoding session whose past keys and values are kept as {@code sharing} says: FULL equals
     * the full forward, the shared modes keep 1/T of the cache and approximate it.
     */
    public DecodeSession session(RunOptions options, KvSharing sharing) {
        return session(options, sharing, 64);
    }

    /**
     * As {@link #session(RunOptions, KvSharing)} for a session expected to reach {@code positions}
     * (a prompt and the tokens to generate): refused now, naming the cache's size, if that cache
     * would not fit the options' memory budget, rather than partway through the generation.
     */
    public DecodeSession session(RunOptions options, KvSharing sharing, int positions) {
        int steps = steps(options);
        fullForwardOnly(options, "a decoding session");
        RunBudget.session(c, steps, sharing, Math.max(1, positions), options);
        return new DecodeSession(this, options, new KvCache(steps, c.numLayers(), c.kvDim(), 64, sharing));
    }

    int steps(RunOptions options) {
        int steps = options.resolveSteps(c.totalUtSteps());
        if (options.exitPolicy() instanceof ExitPolicy.FixedStep f && f.step() >= steps) {
            throw new InvalidInputException("options", "exit step " + f.step() + " is not below the "
                    + steps + " steps of this run");
        }
        for (StepEdit e : options.stepEdits()) {
            if (e.step() >= steps) {
                throw new InvalidInputException("options", "cannot " + e + ": the run has " + steps + " steps");
            }
        }
        ResumePoint r = options.resume();
        if (r != null && (r.step() >= steps || r.layer() > c.numLayers())) {
            throw new InvalidInputException("resume", "step " + r.step() + " layer " + r.layer() + " is outside the "
                    + steps + " steps × 0.." + c.numLayers() + " layers of this run");
        }
        return steps;
    }

    /** Step edits and resume points change one full forward; decoding and training refuse them. */
    private static void fullForwardOnly(RunOptions options, String what) {
        if (!options.stepEdits().isEmpty() || options.resume() != null) {
            throw new InvalidInputException("options", what + " cannot skip, repeat or resume steps;"
                    + " those apply to a full forward");
        }
    }

    /**
     * Runs a chunk of tokens after those in {@code cache}, appending to it; checked against the
     * options' memory budget like a full forward, its captures spilled when they do not fit.
     */
    RunResult append(KvCache cache, int[] tokens, RunOptions options) {
        int steps = steps(options);
        InputCheck.tokens(c, List.of(tokens), cache.length()); // before the budget: an over-long chunk is named as such
        MemoryPlan plan = RunBudget.chunk(c, steps, cache.sharing(), cache.length(), tokens.length, options);
        return run(List.of(cache), List.of(tokens), options, null, spillFor(plan, options)).get(0);
    }

    /**
     * Runs a batch from position 0 and records on {@code tape} what the backward pass needs (the
     * step logits and gate logits included, so no per-sequence results are built). The tape must
     * have been made for these sequence lengths and the options' number of steps.
     */
    public void forward(List<int[]> sequences, RunOptions options, ForwardTape tape) {
        int steps = steps(options);
        fullForwardOnly(options, "a taped (training) forward");
        InputCheck.tokens(c, sequences, 0);
        if (tape.steps() != steps || tape.sequences() != sequences.size()) {
            throw new IllegalArgumentException("tape holds " + tape.steps() + " steps of " + tape.sequences()
                    + " sequences; the run has " + steps + " of " + sequences.size());
        }
        for (int b = 0; b < sequences.size(); b++) {
            int taped = tape.rowStart(b + 1) - tape.rowStart(b);
            if (taped != sequences.get(b).length) {
                throw new IllegalArgumentException("tape was laid out for a sequence " + b + " of " + taped
                        + " tokens; it has " + sequences.get(b).length);
            }
        }
        run(null, sequences, options, tape, null);
    }

    /**
     * The forward pass. {@code caches} null means a full forward from position 0: attention then
     * reads each sequence's keys and values straight from this call's buffers, with no cache to
     * fill. With a tape, nothing per sequence is collected: the tape holds the outputs. With a
     * spill file, captures are written there instead of the heap.
     */
    private List<RunResult> run(List<KvCache> caches, List<int[]> chunks, RunOptions options, ForwardTape tape,
                                SpillFile spill) {
        int steps = steps(options);
        int batch = chunks.size();
        int[] first = new int[batch];
        int[] lengths = new int[batch];
        int[] rowStart = new int[batch + 1];
        for (int b = 0; b < batch; b++) {
            KvCache cache = caches == null ? null : caches.get(b);
            if (cache != null && cache.steps() != steps) {
                throw new IllegalArgumentException("cache holds " + cache.steps() + " steps, options ask " + steps);
            }
            first[b] = cache == null ? 0 : cache.length();
            lengths[b] = chunks.get(b).length;
            rowStart[b + 1] = rowStart[b] + lengths[b];
        }
        for (int b = 0; b < batch; b++) {
            InputCheck.tokens(c, List.of(chunks.get(b)), first[b]);
            if (caches != null) {
                caches.get(b).ensureCapacity(first[b] + lengths[b]);
            }
        }
        int n = rowStart[batch];
        int[] positions = new int[n];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < lengths[b]; i++) {
                positions[rowStart[b] + i] = first[b] + i;
            }
        }
        int end = 0;
        for (int b = 0; b < batch; b++) {
            end = Math.max(end, first[b] + lengths[b]);
        }
        model.rope().ensure(end);

        SiteHooks hooks = new SiteHooks(options.interventions(), options.capture(), options.captureBuffers(), spill,
                first, lengths);
        Workspace ws = new Workspace(c, n, maxProbs(first, lengths), tape);
        LoopWeights w = model.weights();
        int h = c.hiddenSize();
        int vocab = c.vocabSize();

        OutputCollector out = tape == null
                ? new OutputCollector(options.exitPolicy(), steps, lengths, rowStart, vocab) : null;
        float[][][] gateLogits = new float[batch][steps][];
        float[][][] lambdas = new float[batch][steps][];
        float[] x = ws.x;
        ResumePoint resume = options.resume();
        if (resume != null) {
            resume(resume, options, caches, tape, lengths, out, gateLogits[0], lambdas[0], x);
        } else {
            // Embedding rows are the input of step 0.
            for (int b = 0; b < batch; b++) {
                int[] toks = chunks.get(b);
                for (int i = 0; i < toks.length; i++) {
                    w.embedTokens().copyRow(toks[i], x, (rowStart[b] + i) * h);
                }
                hooks.visit(Site.embed(), b, x, rowStart[b] * h, lengths[b], h, h, first[b]);
            }
        }
        // Decoding and taped forwards have no step edits: their entry points refuse them.
        int[] applications = StepEdit.applications(options.stepEdits(), steps);
        // The first of a repeated step's two transitions is neither captured nor intervened on.
        SiteHooks silent = java.util.Arrays.stream(applications).anyMatch(a -> a > 1)
                ? new SiteHooks(List.of(), org.looplens.engine.trace.CapturePlan.none(), null, first, lengths) : null;
        int firstStep = resume == null ? 0 : resume.step();
        for (int t = firstStep; t < steps; t++) {
            for (int a = 0; a < applications[t]; a++) {
                boolean last = a == applications[t] - 1;
                int from = t == firstStep && a == 0 && resume != null ? resume.layer() : 0;
                for (int l = from; l < c.numLayers(); l++) {
                    layer(t, l, w.layers().get(l), ws, caches, last ? hooks : silent, first, lengths, rowStart, positions);
                }
                if (!last) {
                    k.rmsNorm(x, 0, n, h, w.finalNorm(), (float) c.rmsNormEps(), x, 0);
                }
            }
            visitRows(hooks, Site.step(t, SiteKind.STEP_PRENORM), x, h, first, lengths, rowStart);
            if (tape != null) {
                System.arraycopy(x, 0, tape.prenorm(t), 0, n * h);
            }
            if (applications[t] > 0) { // a skipped step passes its input on unchanged, unnormed
                k.rmsNorm(x, 0, n, h, w.finalNorm(), (float) c.rmsNormEps(), x, 0);
            }
            visitRows(hooks, Site.step(t, SiteKind.STEP_HIDDEN), x, h, first, lengths, rowStart);
            if (tape != null) {
                System.arraycopy(x, 0, tape.hidden(t), 0, n * h);
            }

            float[] gate = ws.gate(t);
            k.matmulTransposed(x, 0, n, h, w.exitGateWeight(), 0, 1, gate, 0);
            for (int r = 0; r < n; r++) {
                gate[r] += w.exitGateBias()[0];
            }
            visitRows(hooks, Site.step(t, SiteKind.GATE_LOGIT), gate, 1, first, lengths, rowStart);
            float[] logits = ws.logits(t);
            Site logitsSite = Site.step(t, SiteKind.STEP_LOGITS);
            boolean headRuns = tape != null || hooks.active(logitsSite) || (out != null && out.reads(t));
            if (headRuns) {
                // The head is the largest matrix of a small model: skip it at steps nobody reads.
                linear(x, n, h, w.lmHead(), vocab, logits);
                visitRows(hooks, logitsSite, logits, vocab, first, lengths, rowStart);
            }

            for (int b = 0; b < batch && out != null; b++) {
                float[] g = java.util.Arrays.copyOfRange(gate, rowStart[b], rowStart[b + 1]);
                float[] lam = new float[g.length];
                for (int i = 0; i < g.length; i++) {
                    lam[i] = sigmoid(g[i]);
                }
                gateLogits[b][t] = g;
                lambdas[b][t] = lam;
                out.step(b, t, lam, headRuns ? logits : null);
            }
        }

        if (caches != null) {
            for (int b = 0; b < batch; b++) {
                caches.get(b).commit(lengths[b]);
            }
        }
        if (out == null) {
            return List.of();
        }
        List<RunResult> results = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            results.add(new RunResult(chunks.get(b).clone(), first[b], steps, gateLogits[b], lambdas[b],
                    out.exit(b), out.output(b), out.exitSteps(b), hooks.trace(b)));
        }
        return results;
    }

    /**
     * Starts one sequence's full forward at a resume point: its residual becomes x, and the given
     * outputs of the earlier steps are fed to the output collector as if they had just been computed.
     */
    private void resume(ResumePoint r, RunOptions options, List<KvCache> caches, ForwardTape tape, int[] lengths,
                        OutputCollector out, float[][] gateLogits, float[][] lambdas, float[] x) {
        if (caches != null || tape != null || lengths.length != 1) {
            throw new InvalidInputException("resume", "a resume point applies to a full forward of one sequence");
        }
        int len = lengths[0];
        int h = c.hiddenSize();
        if (r.residual().length != len * h) {
            throw new InvalidInputException("resume", "the residual has " + r.residual().length + " values; "
                    + len + " positions × " + h + " hidden need " + len * h);
        }
        checkNothingAimsBefore(r, options.interventions());
        System.arraycopy(r.residual(), 0, x, 0, len * h);
        for (int t = 0; t < r.step(); t++) {
            float[] g = r.gateLogits()[t];
            if (g == null || g.length != len) {
                throw new InvalidInputException("resume", "gate logits of step " + t + " must have " + len + " values");
            }
            float[] lam = new float[len];
            for (int i = 0; i < len; i++) {
                lam[i] = sigmoid(g[i]);
            }
            gateLogits[t] = g.clone();
            lambdas[t] = lam;
            float[] logits = null;
            if (out.reads(t)) {
                logits = r.stepLogits()[t];
                if (logits == null || logits.length != len * c.vocabSize()) {
                    throw new InvalidInputException("resume", "the exit policy reads step " + t
                            + "; its logits must have " + len + " × " + c.vocabSize() + " values");
                }
            }
            out.step(0, t, lam, logits);
        }
    }

    /** Sites before a resume point are never reached: an intervention aimed there is an error. */
    private void checkNothingAimsBefore(ResumePoint r, List<org.looplens.engine.trace.Intervention> interventions) {
        if (interventions.isEmpty()) {
            return;
        }
        List<Site> before = new ArrayList<>();
        before.add(Site.embed());
        for (int t = 0; t <= r.step(); t++) {
            int layers = t < r.step() ? c.numLayers() : r.layer();
            for (int l = 0; l < layers; l++) {
                for (SiteKind kind : SiteKind.values()) {
                    if (kind.scope() == SiteKind.Scope.LAYER) {
                        before.add(Site.layer(t, l, kind));
                    }
                }
            }
            for (SiteKind kind : SiteKind.values()) {
                if (kind.scope() == SiteKind.Scope.STEP && t < r.step()) {
                    before.add(Site.step(t, kind));
                }
            }
        }
        for (var i : interventions) {
            for (Site s : before) {
                if (i.targets(s)) {
                    throw new InvalidInputException("resume", "intervention '" + i + "' acts at " + s
                            + ", before the resume point (step " + r.step() + ", layer " + r.layer() + ")");
                }
            }
        }
    }

    private void layer(int t, int l, LayerWeights lw, Workspace ws, List<KvCache> caches, SiteHooks hooks,
                       int[] first, int[] lengths, int[] rowStart, int[] positions) {
        int n = ws.rows;
        int h = c.hiddenSize();
        int qd = c.qDim();
        int kvd = c.kvDim();
        int inter = c.intermediateSize();
        float eps = (float) c.rmsNormEps();
        float[] x = ws.x;
        LayerBuffers lb = ws.layer(t, l);
        if (lb.xIn != null) {
            System.arraycopy(x, 0, lb.xIn, 0, n * h);
        }

        // Attention branch: mid = x + N2(o_proj(attn(N1 x))).
        k.rmsNorm(x, 0, n, h, lw.inputNorm(), eps, lb.a, 0);
        visitRows(hooks, Site.layer(t, l, SiteKind.ATTN_IN), lb.a, h, first, lengths, rowStart);
        linear(lb.a, n, h, lw.qProj(), qd, lb.q);
        linear(lb.a, n, h, lw.kProj(), kvd, lb.k);
        linear(lb.a, n, h, lw.vProj(), kvd, lb.v);
        float[] cos = model.rope().cos();
        float[] sin = model.rope().sin();
        k.rope(lb.q, 0, n, c.numHeads(), c.headDim(), positions, 0, cos, sin);
        k.rope(lb.k, 0, n, c.numKvHeads(), c.headDim(), positions, 0, cos, sin);
        visitRows(hooks, Site.layer(t, l, SiteKind.Q), lb.q, qd, first, lengths, rowStart);
        visitRows(hooks, Site.layer(t, l, SiteKind.K), lb.k, kvd, first, lengths, rowStart);
        visitRows(hooks, Site.layer(t, l, SiteKind.V), lb.v, kvd, first, lengths, rowStart);

        Site probsSite = Site.layer(t, l, SiteKind.ATTN_PROBS);
        boolean probsHooked = hooks.active(probsSite);
        float scale = (float) (1.0 / Math.sqrt(c.headDim()));
        for (int b = 0; b < first.length; b++) {
            float[] keys = lb.k;
            float[] values = lb.v;
            int kvOff = rowStart[b] * kvd; // a full forward attends within this call's own rows
            if (caches != null) {
                KvCache cache = caches.get(b);
                cache.put(t, l, lb.k, lb.v, rowStart[b] * kvd, lengths[b]);
                keys = cache.keys(t, l);
                values = cache.values(t, l);
                kvOff = 0;
            }
            int nk = first[b] + lengths[b];
            float[] probs = ws.probs(t, l);
            int pOff = ws.probsOffset(b);
            k.attentionProbs(lb.q, rowStart[b] * qd, lengths[b], first[b], keys, kvOff, nk,
                    c.numHeads(), c.numKvHeads(), c.headDim(), scale, probs, pOff);
            if (probsHooked) {
                hooks.visit(probsSite, b, probs, pOff, lengths[b], nk, c.numHeads(), nk, first[b]);
            }
            k.attentionContext(probs, pOff, lengths[b], first[b], values, kvOff, nk,
                    c.numHeads(), c.numKvHeads(), c.headDim(), lb.context, rowStart[b] * qd);
        }
        linear(lb.context, n, qd, lw.oProj(), h, lb.oPre);
        k.rmsNorm(lb.oPre, 0, n, h, lw.inputNorm2(), eps, ws.branch, 0);
        visitRows(hooks, Site.layer(t, l, SiteKind.ATTN_OUT), ws.branch, h, first, lengths, rowStart);
        k.addInPlace(x, 0, ws.branch, 0, n * h);
        visitRows(hooks, Site.layer(t, l, SiteKind.MID), x, h, first, lengths, rowStart);
        if (lb.mid != null) {
            System.arraycopy(x, 0, lb.mid, 0, n * h);
        }

        // MLP branch: x = mid + N4(down(silu(gate(N3 mid)) * up(N3 mid))).
        k.rmsNorm(x, 0, n, h, lw.postAttentionNorm(), eps, lb.m, 0);
        visitRows(hooks, Site.layer(t, l, SiteKind.MLP_IN), lb.m, h, first, lengths, rowStart);
        linear(lb.m, n, h, lw.gateProj(), inter, lb.g);
        linear(lb.m, n, h, lw.upProj(), inter, lb.u);
        k.swiglu(lb.g, 0, lb.u, 0, lb.act, 0, n * inter);
        linear(lb.act, n, inter, lw.downProj(), h, lb.dPre);
        k.rmsNorm(lb.dPre, 0, n, h, lw.postAttentionNorm2(), eps, ws.branch, 0);
        visitRows(hooks, Site.layer(t, l, SiteKind.MLP_OUT), ws.branch, h, first, lengths, rowStart);
        k.addInPlace(x, 0, ws.branch, 0, n * h);
        visitRows(hooks, Site.layer(t, l, SiteKind.LAYER_OUT), x, h, first, lengths, rowStart);
    }

    private static void visitRows(SiteHooks hooks, Site site, float[] data, int width, int[] first, int[] lengths,
                                  int[] rowStart) {
        if (!hooks.active(site)) {
            return;
        }
        for (int b = 0; b < first.length; b++) {
            hooks.visit(site, b, data, rowStart[b] * width, lengths[b], width, width, first[b]);
        }
    }

    private int maxProbs(int[] first, int[] lengths) {
        int max = 0;
        for (int b = 0; b < first.length; b++) {
            max = Math.max(max, lengths[b] * (first[b] + lengths[b]));
        }
        return max * c.numHeads();
    }

    /** {@code out = x · wᵀ} over n rows, for float32 or memory-mapped BF16 weights. */
    private void linear(float[] x, int n, int in, WeightMatrix w, int outDim, float[] out) {
        if (w.isDense()) {
            k.matmulTransposed(x, 0, n, in, w.dense(), 0, outDim, out, 0);
        } else {
            k.matmulTransposedBf16(x, 0, n, in, w.bf16(), outDim, out, 0);
        }
    }

    static float sigmoid(float z) {
        return (float) (1.0 / (1.0 + Math.exp(-z)));
    }

    /**
     * Buffers for one call, sized to its rows. Without a tape one set is reused across every step
     * and layer; with a tape each (step, layer) writes into the tape's own buffers.
     */
    private static final class Workspace {
        final int rows;
        final float[] x;
        final float[] branch;
        private final ForwardTape tape;
        private final LayerBuffers shared;
        private final float[] probs;
        private final float[] gate;
        private final float[] logits;

        Workspace(LoopConfig c, int rows, int probsSize, ForwardTape tape) {
            this.rows = rows;
            this.tape = tape;
            int h = c.hiddenSize();
            x = new float[rows * h];
            branch = new float[rows * h];
            shared = tape == null ? new LayerBuffers(c, rows, false) : null;
            probs = tape == null ? new float[probsSize] : null;
            gate = tape == null ? new float[rows] : null;
            logits = tape == null ? new float[Math.multiplyExact(rows, c.vocabSize())] : null;
        }

        LayerBuffers layer(int t, int l) {
            return tape == null ? shared : tape.layer(t, l);
        }

        float[] probs(int t, int l) {
            return tape == null ? probs : tape.probs(t, l);
        }

        int probsOffset(int b) {
            return tape == null ? 0 : tape.probsOffset(b);
        }

        float[] gate(int t) {
            return tape == null ? gate : tape.gateLogits(t);
        }

        float[] logits(int t) {
            return tape == null ? logits : tape.logits(t);
        }
    }

    /** Turns per-step logits into the output the exit policy asks for, one sequence at a time. */
    private static final class OutputCollector {
        private final ExitPolicy policy;
        private final int steps;
        private final int[] rowStart;
        private final int vocab;
        private final ExitDistribution.Tracker[] trackers;
        private final float[][] outputs;
        private final int[][] exitSteps;

        OutputCollector(ExitPolicy policy, int steps, int[] lengths, int[] rowStart, int vocab) {
            this.policy = policy;
            this.steps = steps;
            this.rowStart = rowStart;
            this.vocab = vocab;
            int batch = lengths.length;
            trackers = new ExitDistribution.Tracker[batch];
            outputs = new float[batch][];
            exitSteps = new int[batch][];
            for (int b = 0; b < batch; b++) {
                trackers[b] = new ExitDistribution.Tracker(steps, lengths[b]);
                outputs[b] = new float[lengths[b] * vocab];
                exitSteps[b] = new int[lengths[b]];
                java.util.Arrays.fill(exitSteps[b], -1);
            }
        }

        /** Whether this policy can take output from step t's logits (so the head must run). */
        boolean reads(int t) {
            return switch (policy) {
                case ExitPolicy.LastStep ls -> t == steps - 1;
                case ExitPolicy.FixedStep f -> t == f.step();
                case ExitPolicy.QExit _, ExitPolicy.Mixture _ -> true;
            };
        }

        /** Feeds step t of sequence b; {@code logits} is null where {@link #reads} said no. */
        void step(int b, int t, float[] lambda, float[] logits) {
            double[] p = trackers[b].step(t, lambda);
            float[] o = outputs[b];
            int base = rowStart[b] * vocab;
            if (logits == null) {
                return; // the head did not run: this policy reads no logits at step t
            }
            for (int i = 0; i < p.length; i++) {
                boolean take = switch (policy) {
                    case ExitPolicy.LastStep ls -> t == steps - 1;
                    case ExitPolicy.FixedStep f -> t == f.step();
                    case ExitPolicy.QExit q -> exitSteps[b][i] < 0 && trackers[b].exitsAt(i, t, q.q());
                    case ExitPolicy.Mixture m -> false;
                };
                if (take) {
                    System.arraycopy(logits, base + i * vocab, o, i * vocab, vocab);
                    exitSteps[b][i] = t;
                } else if (policy instanceof ExitPolicy.Mixture) {
                    float pi = (float) p[i];
                    for (int j = 0; j < vocab; j++) {
                        o[i * vocab + j] += pi * logits[base + i * vocab + j];
                    }
                }
            }
        }

        ExitDistribution exit(int b) {
            return trackers[b].finish();
        }

        FloatTensor output(int b) {
            return new FloatTensor(outputs[b], exitSteps[b].length, vocab);
        }

        int[] exitSteps(int b) {
            return exitSteps[b];
        }
    }
}
