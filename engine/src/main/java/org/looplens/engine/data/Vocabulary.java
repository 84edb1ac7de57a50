package org.looplens.engine.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.io.AtomicFiles;

/**
 * The token set of a synthetic task: four special tokens first ({@code <pad>}=0, {@code <bos>}=1,
 * {@code <eos>}=2, {@code <unk>}=3), then the task's words in a fixed order.
 *
 * <p>Two kinds. A <em>word</em> vocabulary splits text on whitespace, one token per word; it is
 * written as a Hugging Face WordLevel tokenizer ({@code <unk>} is there because WordLevel needs an
 * unknown-word token). A <em>byte</em> vocabulary has one token per byte value (id 4 + byte); it
 * is written as a byte-level BPE with no merges, the only standard tokenizer.json that maps raw
 * text to single bytes and back losslessly. Either way the written tokenizer.json gives the same
 * ids as {@link #encode}, so a model trained here loads with its tokenizer anywhere.
 */
public final class Vocabulary implements Tokenizer {
    public static final int PAD = 0;
    public static final int BOS = 1;
    public static final int EOS = 2;
    public static final int UNK = 3;
    public static final List<String> SPECIALS = List.of("<pad>", "<bos>", "<eos>", "<unk>");
    /** Id of byte 0 in a byte vocabulary. */
    public static final int FIRST_BYTE = SPECIALS.size();

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<String> words;
    private final Map<String, Integer> ids = new HashMap<>();
    private final boolean bytes;

    private Vocabulary(List<String> words, boolean bytes) {
        this.words = List.copyOf(words);
        this.bytes = bytes;
        for (int i = 0; i < this.words.size(); i++) {
            if (ids.putIfAbsent(this.words.get(i), i) != null) {
                throw new IllegalArgumentException("word '" + this.words.get(i) + "' appears twice");
            }
        }
    }

    /** A word vocabulary: the specials, then {@code words} in order (ids 4, 5, ...). */
    public static Vocabulary ofWords(List<String> words) {
        List<String> all = new ArrayList<>(SPECIALS);
        for (String w : words) {
            if (w.isEmpty() || w.codePoints().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("word '" + w + "' is empty or holds whitespace");
            }
            all.add(w);
        }
        return new Vocabulary(all, false);
    }

    /** A byte vocabulary: the specials, then the 256 byte values (id = 4 + byte). */
    public static Vocabulary ofBytes() {
        List<String> all = new ArrayList<>(SPECIALS);
        for (int b = 0; b < 256; b++) {
            all.add(ByteLevelChars.of(b));
        }
        return new Vocabulary(all, true);
    }

    public boolean byteLevel() {
        return bytes;
    }

    public int size() {
        return words.size();
    }

    /** The id of a word; a word outside the vocabulary is a programming error here. */
    public int id(String word) {
        Integer id = ids.get(word);
        if (id == null) {
            throw new IllegalArgumentException("'" + word + "' is not in the vocabulary");
        }
        return id;
    }

    /** The word of an id (for a byte vocabulary, the byte-level character stored in tokenizer.json). */
    public String word(int id) {
        return words.get(id);
    }

    /** All words in id order, specials included. */
    public List<String> words() {
        return words;
    }

    /** The id of byte value {@code b} (0..255) in a byte vocabulary. */
    public int byteId(int b) {
        if (!bytes) {
            throw new IllegalStateException("not a byte vocabulary");
        }
        return FIRST_BYTE + (b & 0xFF);
    }

    @Override
    public int vocabSize() {
        return words.size();
    }

    /**
     * Word vocabulary: whitespace-separated words. Byte vocabulary: the UTF-8 bytes, with the
     * special tokens' literal spellings recognised (as Hugging Face does with added tokens).
     */
    @Override
    public int[] encode(String text) {
        return bytes ? encodeBytes(text) : encodeWords(text);
    }

    private int[] encodeWords(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return new int[0];
        }
        String[] parts = trimmed.split("\\s+");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Integer id = ids.get(parts[i]);
            if (id == null) {
                throw new InvalidInputException("text", "word '" + parts[i] + "' is not in the vocabulary");
            }
            out[i] = id;
        }
        return out;
    }

    private int[] encodeBytes(String text) {
        List<Integer> out = new ArrayList<>();
        int from = 0;
        while (from < text.length()) {
            int next = text.length();
            int special = -1;
            for (int s = 0; s < SPECIALS.size(); s++) {
                int at = text.indexOf(SPECIALS.get(s), from);
                if (at >= 0 && at < next) {
                    next = at;
                    special = s;
                }
            }
            for (byte b : text.substring(from, next).getBytes(StandardCharsets.UTF_8)) {
                out.add(FIRST_BYTE + (b & 0xFF));
            }
            if (special < 0) {
                break;
            }
            out.add(special);
            from = next + SPECIALS.get(special).length();
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** For display: the word; for a byte, the character if printable ASCII, else {@code <0xNN>}. */
    @Override
    public String decode(int token) {
        if (token < 0 || token >= words.size()) {
            return "<" + token + ">";
        }
        if (bytes && token >= FIRST_BYTE) {
            int b = token - FIRST_BYTE;
            return b > 0x20 && b < 0x7F ? Character.toString(b) : String.format("<0x%02X>", b);
        }
        return words.get(token);
    }

    /** The text of a sequence: words joined by spaces, or bytes decoded as UTF-8 with specials inline. */
    public String decode(int[] tokens) {
        if (!bytes) {
            StringBuilder sb = new StringBuilder();
            for (int t : tokens) {
                if (!sb.isEmpty()) {
                    sb.append(' ');
                }
                sb.append(decode(t));
            }
            return sb.toString();
        }
        StringBuilder sb = new StringBuilder();
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        for (int t : tokens) {
            if (t >= FIRST_BYTE && t < FIRST_BYTE + 256) {
                run.write(t - FIRST_BYTE);
            } else {
                sb.append(run.toString(StandardCharsets.UTF_8));
                run.reset();
                sb.append(t >= 0 && t < FIRST_BYTE ? words.get(t) : "<" + t + ">");
            }
        }
        return sb.append(run.toString(StandardCharsets.UTF_8)).toString();
    }

    /** Writes a Hugging Face {@code tokenizer.json} for this vocabulary, atomically. */
    public void writeTokenizerJson(Path file) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < SPECIALS.size(); i++) {
            added.addObject()
                    .put("id", i)
                    .put("content", SPECIALS.get(i))
                    .put("single_word", false)
                    .put("lstrip", false)
                    .put("rstrip", false)
                    .put("normalized", false)
                    .put("special", true);
        }
        root.putNull("normalizer");
        if (bytes) {
            root.set("pre_tokenizer", byteLevelStep());
            root.putNull("post_processor");
            root.set("decoder", byteLevelStep());
        } else {
            root.putObject("pre_tokenizer").put("type", "WhitespaceSplit");
            root.putNull("post_processor");
            root.putNull("decoder");
        }
        ObjectNode model = root.putObject("model");
        if (bytes) {
            model.put("type", "BPE");
            model.putNull("dropout");
            model.putNull("unk_token");
            model.putNull("continuing_subword_prefix");
            model.putNull("end_of_word_suffix");
            model.put("fuse_unk", false);
            model.put("byte_fallback", false);
            model.put("ignore_merges", false);
        } else {
            model.put("type", "WordLevel");
        }
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < words.size(); i++) {
            vocab.put(words.get(i), i);
        }
        if (bytes) {
            model.putArray("merges");
        } else {
            model.put("unk_token", SPECIALS.get(UNK));
        }
        AtomicFiles.writeString(file, root.toPrettyString() + "\n");
    }

    /**
     * Writes the {@code generation_config.json} a Hugging Face checkpoint carries beside its
     * tokenizer, so generation from a trained task model stops at {@code <eos>} as a real one does.
     */
    public static void writeGenerationConfig(Path file) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("bos_token_id", BOS);
        root.put("eos_token_id", EOS);
        root.put("pad_token_id", PAD);
        AtomicFiles.writeString(file, root.toPrettyString() + "\n");
    }

    /** ByteLevel without a prefix space: raw bytes in, raw bytes out. */
    private static ObjectNode byteLevelStep() {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", "ByteLevel");
        n.put("add_prefix_space", false);
        n.put("trim_offsets", false);
        n.put("use_regex", true);
        return n;
    }
}
