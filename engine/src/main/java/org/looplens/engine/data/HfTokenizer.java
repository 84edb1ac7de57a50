package org.looplens.engine.data;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.looplens.engine.InvalidInputException;

/**
 * Any Hugging Face {@code tokenizer.json} (a real Ouro checkpoint's, or one written by
 * {@link Vocabulary#writeTokenizerJson}), run by the Rust tokenizers library through DJL.
 *
 * <p>Special tokens are never added automatically: Ouro usage puts {@code <bos>} in explicitly,
 * and an implicit one would shift every position. The file is read here and handed to DJL as a
 * stream, so DJL never looks for (or downloads) anything beside it.
 */
public final class HfTokenizer implements Tokenizer, AutoCloseable {
    public static final String FILE_NAME = "tokenizer.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        // DJL picks a CUDA build of the native library when it sees a GPU and downloads it; the CPU
        // build ships in the jar and tokenizing is CPU work, so ask for it (unless the user chose).
        if (System.getenv("RUST_FLAVOR") == null && System.getProperty("RUST_FLAVOR") == null) {
            System.setProperty("RUST_FLAVOR", "cpu");
        }
    }

    private final HuggingFaceTokenizer tokenizer;
    private final int vocabSize;
    private final String source;

    private HfTokenizer(HuggingFaceTokenizer tokenizer, int vocabSize, String source) {
        this.tokenizer = tokenizer;
        this.vocabSize = vocabSize;
        this.source = source;
    }

    /** Loads a tokenizer.json; a missing, unreadable or malformed file is an error naming it. */
    public static HfTokenizer load(Path file) {
        String source = file.toString();
        byte[] bytes = org.looplens.engine.io.JsonFiles.bytes(file);
        int vocabSize = vocabSize(bytes, source);
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(bytes),
                    Map.of("addSpecialTokens", "false"));
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(source, "not a tokenizer Hugging Face tokenizers can load ("
                    + firstLine(e.getMessage()) + ")", e);
        }
        return new HfTokenizer(tokenizer, vocabSize, source);
    }

    /**
     * DJL has no vocabulary size, so read it from the JSON: one more than the largest id in the
     * model's vocab or the added tokens. Checking the JSON first also gives clear errors for the
     * common ways a file is broken, before the native library sees it.
     */
    private static int vocabSize(byte[] bytes, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(source, "not valid JSON (" + firstLine(e.getOriginalMessage()) + ")");
        } catch (IOException e) {
            throw new InvalidInputException(source, "cannot read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(source, "expected a JSON object at the top level");
        }
        JsonNode model = root.get("model");
        if (model == null || !model.isObject()) {
            throw new InvalidInputException(source, "missing the 'model' object");
        }
        JsonNode vocab = model.get("vocab");
        long max = -1;
        if (vocab != null && vocab.isObject()) {
            for (Map.Entry<String, JsonNode> e : vocab.properties()) {
                if (!e.getValue().canConvertToInt() || e.getValue().intValue() < 0) {
                    throw new InvalidInputException(source, "model.vocab entry '" + e.getKey()
                            + "' has id " + e.getValue() + "; expected a non-negative integer");
                }
                max = Math.max(max, e.getValue().intValue());
            }
        } else if (vocab != null && vocab.isArray()) {
            max = vocab.size() - 1L; // Unigram: a list of [piece, score], the id is the position
        } else {
            throw new InvalidInputException(source, "missing 'model.vocab'");
        }
        JsonNode added = root.get("added_tokens");
        if (added != null && added.isArray()) {
            for (JsonNode t : added) {
                JsonNode id = t.get("id");
                if (id == null || !id.canConvertToInt() || id.intValue() < 0) {
                    throw new InvalidInputException(source, "an added_tokens entry has no valid 'id': " + t);
                }
                max = Math.max(max, id.intValue());
            }
        }
        if (max < 0) {
            throw new InvalidInputException(source, "the vocabulary is empty");
        }
        // The size is one more than the largest id, and it must itself be an int.
        if (max >= Integer.MAX_VALUE) {
            throw new InvalidInputException(source, "token id " + max + " is too large (at most " + (Integer.MAX_VALUE - 1) + ")");
        }
        return (int) max + 1;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** Token ids of {@code text}, without any special token added. */
    @Override
    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    /** The text of one token (special tokens included), for display. */
    @Override
    public String decode(int token) {
        if (token < 0 || token >= vocabSize) {
            return "<" + token + ">";
        }
        return tokenizer.decode(new long[] {token}, false);
    }

    /** The text of a token sequence, special tokens kept. */
    @Override
    public String decode(int[] tokens) {
        long[] ids = new long[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            ids[i] = tokens[i];
        }
        return tokenizer.decode(ids, false);
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    /** The file this tokenizer came from. */
    public String source() {
        return source;
    }

    /** Frees the native tokenizer now rather than when it is collected. */
    @Override
    public void close() {
        tokenizer.close();
    }
}
