package org.looplens.engine.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Synthetic biographies for measuring knowledge capacity: N people with two-token names
 * (generated first and last names), each with independent uniformly random attributes.
 *
 * <p>Capacity is memorisation, so every fact is in TRAIN; VALIDATION and TEST ask the same facts
 * (each split walks all N·A facts once per epoch, in its own shuffled order) and measure how many
 * were stored. Because values are uniform and independent, the stored information is exactly
 * {@link #bitsOfKnowledge()} = N · Σ log2|values of attribute| when every answer is right, which
 * divided by the parameter count gives bits per parameter.
 *
 * <p>Layout (see {@link QaLayout}); there is no reasoning to spell out, so COT = DIRECT:
 * <pre>
 *   &lt;bos&gt; Bako Tivumera city = Rosekalo &lt;eos&gt;
 * </pre>
 * Difficulty = 1; intermediates = the value.
 */
public final class BioFactsTask implements Task {
    /** Attribute names and their number of values (birth years are 1950..2009). */
    private static final String[] ATTRIBUTES = {"born", "city", "employer", "university", "major"};
    private static final int[] SIZES = {60, 50, 100, 40, 30};
    private static final int FIRST_YEAR = 1950;
    private static final String CONSONANTS = "bdfgklmnprstvz";
    private static final String VOWELS = "aeiou";
    private static final long WORD_TAG = 0x776f7264L;
    private static final long NAME_TAG = 0x6e616d65L;
    private static final long VALUE_TAG = 0x76616cL;
    private static final long ORDER_TAG = 0x6f72646572L;

    private final int people;
    private final long seed;
    private final int firstNames;
    private final IndexPermutation namePairs;
    private final Vocabulary vocabulary;
    private final int firstNameToken;
    private final int lastNameToken;
    private final int[] firstValueToken = new int[ATTRIBUTES.length];

    public BioFactsTask(int people, long seed) {
        if (people < 1 || people > 1_000_000) {
            throw new IllegalArgumentException("people must be in [1, 1000000], got " + people);
        }
        this.people = people;
        this.seed = seed;
        // Enough first × last names for distinct pairs, with some slack so pairs are not all used.
        this.firstNames = (int) Math.ceil(Math.sqrt(people)) + 1;
        this.namePairs = new IndexPermutation((long) firstNames * firstNames, SplitMix64.hash(seed, NAME_TAG));

        SplitMix64 rng = SplitMix64.keyed(seed, WORD_TAG);
        Set<String> used = new HashSet<>();
        List<String> words = new ArrayList<>(List.of(QaLayout.EQUALS));
        words.addAll(List.of(ATTRIBUTES));
        int firstNameAt = Vocabulary.SPECIALS.size() + words.size();
        words.addAll(generate(firstNames, 2, rng, used));
        int lastNameAt = Vocabulary.SPECIALS.size() + words.size();
        words.addAll(generate(firstNames, 3, rng, used));
        for (int a = 0; a < ATTRIBUTES.length; a++) {
            firstValueToken[a] = Vocabulary.SPECIALS.size() + words.size();
            if (a == 0) {
                for (int y = 0; y < SIZES[0]; y++) {
                    words.add(Integer.toString(FIRST_YEAR + y));
                }
            } else {
                words.addAll(generate(SIZES[a], 3, rng, used));
            }
        }
        this.vocabulary = Vocabulary.ofWords(words);
        this.firstNameToken = firstNameAt;
        this.lastNameToken = lastNameAt;
    }

    /** {@code count} distinct capitalised words of {@code syllables} consonant-vowel syllables. */
    private static List<String> generate(int count, int syllables, SplitMix64 rng, Set<String> used) {
        List<String> out = new ArrayList<>(count);
        while (out.size() < count) {
            StringBuilder w = new StringBuilder();
            for (int s = 0; s < syllables; s++) {
                w.append(CONSONANTS.charAt(rng.nextInt(CONSONANTS.length())));
                w.append(VOWELS.charAt(rng.nextInt(VOWELS.length())));
            }
            String word = w.substring(0, 1).toUpperCase(Locale.ROOT) + w.substring(1);
            if (used.add(word)) {
                out.add(word);
            }
        }
        return out;
    }

    @Override
    public String name() {
        return "bio";
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public int people() {
        return people;
    }

    /** The attribute names, in order. */
    public static List<String> attributes() {
        return List.of(ATTRIBUTES);
    }

    /** Number of values attribute {@code a} can take. */
    public static int valueCount(int a) {
        return SIZES[a];
    }

    /** Information stored in the facts, in bits: N · Σ log2|values of attribute|. */
    public double bitsOfKnowledge() {
        double perPerson = 0;
        for (int size : SIZES) {
            perPerson += Math.log(size) / Math.log(2);
        }
        return people * perPerson;
    }

    /** Token ids of person {@code i}'s first and last name. */
    public int[] nameTokens(int person) {
        long pair = namePairs.apply(person);
        return new int[] {firstNameToken + (int) (pair / firstNames), lastNameToken + (int) (pair % firstNames)};
    }

    /** Value index (0 ≤ v &lt; valueCount(a)) of attribute {@code a} of person {@code i}. */
    public int value(int person, int a) {
        return SplitMix64.keyed(seed, VALUE_TAG, person, a).nextInt(SIZES[a]);
    }

    /** Token id of value {@code v} of attribute {@code a}. */
    public int valueToken(int a, int v) {
        return firstValueToken[a] + v;
    }

    @Override
    public int maxLength(Format format) {
        return QaLayout.length(Format.DIRECT, 3, 0, 1);
    }

    @Override
    public Example example(Split split, long index, Format format) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be non-negative, got " + index);
        }
        long facts = (long) people * ATTRIBUTES.length;
        long epoch = index / facts;
        long fact = new IndexPermutation(facts, SplitMix64.hash(seed, ORDER_TAG, split.ordinal(), epoch))
                .apply(index % facts);
        int person = (int) (fact / ATTRIBUTES.length);
        int a = (int) (fact % ATTRIBUTES.length);
        int[] name = nameTokens(person);
        int attrToken = vocabulary.id(ATTRIBUTES[a]);
        int answer = valueToken(a, value(person, a));
        String key = vocabulary.word(name[0]) + " " + vocabulary.word(name[1]) + " " + ATTRIBUTES[a];
        return QaLayout.build(vocabulary, Format.DIRECT, new int[] {name[0], name[1], attrToken}, new int[0],
                new int[] {answer}, 1, new int[] {answer}, key);
    }
}
