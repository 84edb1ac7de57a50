package org.looplens.engine.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Arithmetic mod p on random expression trees in prefix notation, operators {@code + - *}.
 *
 * <p>Difficulty = tree depth (operators on the longest root-to-leaf path; a bare number has depth
 * 0). Depth, not operator count, is the number of rounds needed when independent sub-expressions
 * are evaluated side by side, which is what a fixed number of loop steps can do in parallel.
 * Trees of depth d have one child of depth d-1 (on a random side) and the other of a uniform depth
 * in [0, d-1], so sizes vary between d and 2^d - 1 operators.
 *
 * <p>Layout (see {@link QaLayout}); COT lists the value of every operator below the root in
 * post-order (the order a stack machine computes them), then the root's value:
 * <pre>
 *   DIRECT  &lt;bos&gt; + 3 * 4 5 = 2 &lt;eos&gt;          (p = 7: 4·5 = 6, 3+6 = 2)
 *   COT     &lt;bos&gt; + 3 * 4 5 ? 6 = 2 &lt;eos&gt;
 * </pre>
 * TRAIN draws depths 1..depthTrain, VALIDATION and TEST 1..depthTest; an expression's split is a
 * hash of its prefix tokens (see {@link HeldOut}), so no held-out expression occurs in TRAIN.
 * Intermediates = the post-order operator values, root last.
 */
public final class ModArithTask implements Task {
    private static final long QUESTION_TAG = 0x61726974L;
    private static final String[] OPS = {"+", "-", "*"};
    /** Prefix codes: values 0..p-1 are numbers, these negatives are operators. */
    private static final int PLUS = -1;
    private static final int MINUS = -2;
    private static final int TIMES = -3;

    private final int p;
    private final int depthTrain;
    private final int depthTest;
    private final double heldOut;
    private final long seed;
    private final Vocabulary vocabulary;
    private final int firstNumber;
    private final int firstOp;

    public ModArithTask(int p, int depthTrain, int depthTest, double heldOut, long seed) {
        check(p >= 2 && p <= 1000, "p must be in [2, 1000], got " + p);
        check(depthTrain >= 1, "depthTrain must be at least 1, got " + depthTrain);
        check(depthTest >= depthTrain, "depthTest must be at least depthTrain (" + depthTrain + "), got " + depthTest);
        check(depthTest <= 10, "depthTest must be at most 10 (2^depth - 1 operators), got " + depthTest);
        check(heldOut > 0 && heldOut < 1, "heldOutFraction must be in (0, 1), got " + heldOut);
        this.p = p;
        this.depthTrain = depthTrain;
        this.depthTest = depthTest;
        this.heldOut = heldOut;
        this.seed = seed;
        List<String> words = new ArrayList<>(List.of(QaLayout.ASK, QaLayout.EQUALS));
        words.addAll(List.of(OPS));
        for (int v = 0; v < p; v++) {
            words.add(Integer.toString(v));
        }
        this.vocabulary = Vocabulary.ofWords(words);
        this.firstOp = vocabulary.id(OPS[0]);
        this.firstNumber = vocabulary.id("0");
        try {
            for (Split s : Split.values()) {
                example(s, 0, Format.DIRECT);
            }
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("too few distinct expressions to hold some out: use a larger p or depthTest");
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public String name() {
        return "modarith";
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public int modulus() {
        return p;
    }

    /** Token id of number {@code v} (0 ≤ v &lt; p). */
    public int numberToken(int v) {
        return firstNumber + v;
    }

    @Override
    public int maxLength(Format format) {
        int ops = (1 << depthTest) - 1;
        return QaLayout.length(format, 2 * ops + 1, ops - 1, 1);
    }

    @Override
    public Example example(Split split, long index, Format format) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be non-negative, got " + index);
        }
        SplitMix64 rng = SplitMix64.keyed(seed, split.ordinal(), index);
        int maxDepth = split == Split.TRAIN ? depthTrain : depthTest;
        return build(HeldOut.sample(rng, 1, maxDepth, split, this::draw, this::splitOf), format);
    }

    /** An expression in prefix codes, with its depth. */
    private record Expr(int[] prefix, int depth) {}

    private Expr draw(int depth, SplitMix64 rng) {
        List<Integer> out = new ArrayList<>();
        grow(depth, rng, out);
        return new Expr(out.stream().mapToInt(Integer::intValue).toArray(), depth);
    }

    private void grow(int depth, SplitMix64 rng, List<Integer> out) {
        if (depth == 0) {
            out.add(rng.nextInt(p));
            return;
        }
        out.add(-1 - rng.nextInt(OPS.length));
        boolean deepFirst = rng.nextInt(2) == 0;
        int other = rng.nextInt(depth);
        grow(deepFirst ? depth - 1 : other, rng, out);
        grow(deepFirst ? other : depth - 1, rng, out);
    }

    private Split splitOf(Expr e) {
        long[] key = new long[e.prefix.length + 2];
        key[0] = seed;
        key[1] = QUESTION_TAG;
        for (int i = 0; i < e.prefix.length; i++) {
            key[2 + i] = e.prefix[i];
        }
        return HeldOut.splitOf(SplitMix64.hash(key), e.depth > depthTrain, heldOut);
    }

    /** Evaluates the prefix expression from {@code pos[0]}, appending each operator's value in post-order. */
    private int evaluate(int[] prefix, int[] pos, List<Integer> postOrder) {
        int code = prefix[pos[0]++];
        if (code >= 0) {
            return code;
        }
        int a = evaluate(prefix, pos, postOrder);
        int b = evaluate(prefix, pos, postOrder);
        int v = switch (code) {
            case PLUS -> (a + b) % p;
            case MINUS -> Math.floorMod(a - b, p);
            case TIMES -> (a * b) % p;
            default -> throw new IllegalStateException("bad operator code " + code);
        };
        postOrder.add(v);
        return v;
    }

    private Example build(Expr e, Format format) {
        int[] question = new int[e.prefix.length];
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < e.prefix.length; i++) {
            int code = e.prefix[i];
            question[i] = code >= 0 ? numberToken(code) : firstOp + (-1 - code);
            if (i > 0) {
                key.append(' ');
            }
            key.append(code >= 0 ? Integer.toString(code) : OPS[-1 - code]);
        }
        List<Integer> values = new ArrayList<>();
        evaluate(e.prefix, new int[] {0}, values);
        int[] intermediates = values.stream().mapToInt(this::numberToken).toArray();
        int[] steps = Arrays.copyOf(intermediates, intermediates.length - 1);
        int[] answer = {intermediates[intermediates.length - 1]};
        return QaLayout.build(vocabulary, format, question, steps, answer, e.depth, intermediates, key.toString());
    }
}
