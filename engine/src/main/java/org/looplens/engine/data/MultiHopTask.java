package org.looplens.engine.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Multi-hop questions over a random knowledge graph: entities {@code e0..e(N-1)}, relations
 * {@code r0..r(R-1)}, each relation a random <em>permutation</em> of the entities. Permutations
 * make every composition defined and keep k-hop answers uniform over the entities; random
 * functions would shrink the set of reachable answers with every hop, so long chains would become
 * easy to guess.
 *
 * <p>Layout (see {@link QaLayout}); the question names the start entity, then the relations in the
 * order they are applied: {@code e r1 r2 … rk} means rk(…r2(r1(e))).
 * <pre>
 *   DIRECT  &lt;bos&gt; e3 r1 r0 = e7 &lt;eos&gt;
 *   COT     &lt;bos&gt; e3 r1 r0 ? e5 = e7 &lt;eos&gt;        (e5 = r1(e3))
 * </pre>
 * A 1-hop question is a fact. TRAIN holds every fact: a {@code factFraction} share of TRAIN indexes
 * are facts, walked in a reshuffled order each epoch so all N·R facts appear in every
 * ⌈N·R / factFraction⌉ consecutive indexes; the rest are 2..kTrain-hop questions. VALIDATION and
 * TEST hold 2..kTest-hop questions only, split from TRAIN by a hash of (start entity, chain), so a
 * held-out chain never occurs in TRAIN; hop counts above kTrain test length generalisation.
 * Difficulty = hop count; intermediates = the entity after each hop.
 */
public final class MultiHopTask implements Task {
    private static final long GRAPH_TAG = 0x6772617068L;
    private static final long FACT_TAG = 0x66616374L;
    private static final long QUESTION_TAG = 0x7175657374L;
    /** factFraction as a 20-bit fixed-point number, so fact slots follow from exact integer arithmetic. */
    private static final int FRACTION_BITS = 20;

    private final int entities;
    private final int relations;
    private final int kTrain;
    private final int kTest;
    private final double heldOut;
    private final long seed;
    private final long factFixed;
    private final int[][] graph;
    private final Vocabulary vocabulary;
    private final int firstEntity;
    private final int firstRelation;

    /**
     * @param factFraction share of TRAIN indexes that are 1-hop facts, in (0, 1] (ignored when kTrain = 1: then all are)
     * @param heldOut share of in-range multi-hop questions held out for VALIDATION + TEST, in (0, 1)
     */
    public MultiHopTask(int entities, int relations, int kTrain, int kTest, double factFraction, double heldOut, long seed) {
        check(entities >= 2, "entities must be at least 2, got " + entities);
        check(relations >= 1, "relations must be at least 1, got " + relations);
        check((long) entities * relations <= 50_000_000L, "entities × relations must be at most 50,000,000");
        check(kTrain >= 1, "kTrain must be at least 1, got " + kTrain);
        check(kTest >= kTrain && kTest >= 2, "kTest must be at least kTrain and at least 2 (held-out questions have 2+ hops), got " + kTest);
        check(kTest <= 64, "kTest must be at most 64, got " + kTest);
        check(factFraction > 0 && factFraction <= 1, "factFraction must be in (0, 1], got " + factFraction);
        check(heldOut > 0 && heldOut < 1, "heldOutFraction must be in (0, 1), got " + heldOut);
        this.entities = entities;
        this.relations = relations;
        this.kTrain = kTrain;
        this.kTest = kTest;
        this.heldOut = heldOut;
        this.seed = seed;
        this.factFixed = kTrain == 1 ? 1L << FRACTION_BITS : Math.max(1, Math.round(factFraction * (1 << FRACTION_BITS)));
        this.graph = new int[relations][];
        for (int r = 0; r < relations; r++) {
            graph[r] = randomPermutation(entities, SplitMix64.keyed(seed, GRAPH_TAG, r));
        }
        List<String> words = new ArrayList<>(List.of(QaLayout.ASK, QaLayout.EQUALS));
        for (int e = 0; e < entities; e++) {
            words.add("e" + e);
        }
        for (int r = 0; r < relations; r++) {
            words.add("r" + r);
        }
        this.vocabulary = Vocabulary.ofWords(words);
        this.firstEntity = vocabulary.id("e0");
        this.firstRelation = vocabulary.id("r0");
        try {
            for (Split s : Split.values()) {
                example(s, 0, Format.DIRECT);
            }
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("the graph is too small to hold out multi-hop questions: use more entities or relations");
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    private static int[] randomPermutation(int n, SplitMix64 rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    @Override
    public String name() {
        return "multihop";
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public int entities() {
        return entities;
    }

    public int relations() {
        return relations;
    }

    public int kTrain() {
        return kTrain;
    }

    public int kTest() {
        return kTest;
    }

    /** The graph itself: relation {@code r} applied to entity {@code e}. */
    public int apply(int relation, int entity) {
        return graph[relation][entity];
    }

    /** Token id of entity {@code e}. */
    public int entityToken(int e) {
        return firstEntity + e;
    }

    /** Token id of relation {@code r}. */
    public int relationToken(int r) {
        return firstRelation + r;
    }

    /**
     * Follows a relation chain from an entity, all as token ids: {@code relationTokens} applied in
     * order to {@code entityToken}, the entity token reached returned (the token itself for an empty
     * chain). Recomputes a question's answer from any intermediate, e.g. a corrupted one.
     */
    public int applyChain(int entityToken, int[] relationTokens) {
        int e = entityToken - firstEntity;
        if (e < 0 || e >= entities) {
            throw new IllegalArgumentException("token " + entityToken + " is not an entity of this task (entities are tokens "
                    + firstEntity + ".." + (firstEntity + entities - 1) + ")");
        }
        for (int t : relationTokens) {
            int r = t - firstRelation;
            if (r < 0 || r >= relations) {
                throw new IllegalArgumentException("token " + t + " is not a relation of this task (relations are tokens "
                        + firstRelation + ".." + (firstRelation + relations - 1) + ")");
            }
            e = graph[r][e];
        }
        return entityToken(e);
    }

    @Override
    public int maxLength(Format format) {
        return QaLayout.length(format, 1 + kTest, kTest - 1, 1);
    }

    @Override
    public Example example(Split split, long index, Format format) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be non-negative, got " + index);
        }
        if (split == Split.TRAIN && isFactSlot(index)) {
            return build(fact(factsBefore(index)), format);
        }
        SplitMix64 rng = SplitMix64.keyed(seed, split.ordinal(), index);
        int maxHops = split == Split.TRAIN ? kTrain : kTest;
        return build(HeldOut.sample(rng, 2, maxHops, split, this::draw, this::splitOf), format);
    }

    /** A start entity and a relation chain. */
    private record Question(int start, int[] chain) {}

    private Question draw(int hops, SplitMix64 rng) {
        int start = rng.nextInt(entities);
        int[] chain = new int[hops];
        for (int i = 0; i < hops; i++) {
            chain[i] = rng.nextInt(relations);
        }
        return new Question(start, chain);
    }

    /** The split a question belongs to: facts to TRAIN, longer chains by their hash. */
    private Split splitOf(Question q) {
        int k = q.chain.length;
        if (k == 1) {
            return Split.TRAIN;
        }
        long[] key = new long[k + 3];
        key[0] = seed;
        key[1] = QUESTION_TAG;
        key[2] = q.start;
        for (int i = 0; i < k; i++) {
            key[3 + i] = q.chain[i];
        }
        return HeldOut.splitOf(SplitMix64.hash(key), k > kTrain, heldOut);
    }

    /** Number of fact slots among TRAIN indexes [0, index): floor(index · factFraction), exactly. */
    private long factsBefore(long index) {
        long whole = index >>> FRACTION_BITS;
        long rest = index & ((1L << FRACTION_BITS) - 1);
        return whole * factFixed + ((rest * factFixed) >>> FRACTION_BITS);
    }

    private boolean isFactSlot(long index) {
        return factsBefore(index + 1) > factsBefore(index);
    }

    /** Fact number {@code ordinal}: each epoch of N·R facts in its own shuffled order. */
    private Question fact(long ordinal) {
        long count = (long) entities * relations;
        long epoch = ordinal / count;
        long f = new IndexPermutation(count, SplitMix64.hash(seed, FACT_TAG, epoch)).apply(ordinal % count);
        return new Question((int) (f / relations), new int[] {(int) (f % relations)});
    }

    private Example build(Question q, Format format) {
        int k = q.chain.length;
        int[] question = new int[k + 1];
        question[0] = entityToken(q.start);
        StringBuilder key = new StringBuilder("e").append(q.start);
        int[] after = new int[k];
        int cur = q.start;
        for (int i = 0; i < k; i++) {
            question[i + 1] = relationToken(q.chain[i]);
            key.append(" r").append(q.chain[i]);
            cur = graph[q.chain[i]][cur];
            after[i] = entityToken(cur);
        }
        int[] steps = Arrays.copyOf(after, k - 1);
        return QaLayout.build(vocabulary, format, question, steps, new int[] {after[k - 1]}, k, after, key.toString());
    }
}
