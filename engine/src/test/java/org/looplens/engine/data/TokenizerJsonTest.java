package org.looplens.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.looplens.engine.InvalidInputException;

/** tokenizer.json files written by Vocabulary load through DJL (offline, from a file) and agree with it. */
class TokenizerJsonTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void offline() {
        // DJL must find everything it needs locally: refuse any download.
        System.setProperty("ai.djl.offline", "true");
    }

    private HfTokenizer write(Vocabulary v) {
        Path file = dir.resolve("tokenizer.json");
        v.writeTokenizerJson(file);
        return HfTokenizer.load(file);
    }

    private static void roundTrip(Task task, HfTokenizer hf) {
        assertEquals(task.vocabulary().size(), hf.vocabSize());
        for (Split s : Split.values()) {
            for (Format f : Format.values()) {
                for (long i = 0; i < 50; i++) {
                    Example e = task.example(s, i, f);
                    assertArrayEquals(e.tokens(), hf.encode(e.text()), "encode " + e.text());
                    assertArrayEquals(e.tokens(), task.vocabulary().encode(e.text()));
                    assertEquals(e.text(), hf.decode(e.tokens()), "decode");
                }
            }
        }
    }

    @Test
    void wordVocabulariesRoundTripThroughDjl() {
        for (Task task : List.of(new MultiHopTask(30, 3, 2, 4, 0.3, 0.2, 1), new ModArithTask(11, 2, 3, 0.2, 1),
                new BioFactsTask(50, 1))) {
            try (HfTokenizer hf = write(task.vocabulary())) {
                roundTrip(task, hf);
                for (int id = 0; id < task.vocabulary().size(); id++) {
                    assertEquals(task.vocabulary().word(id), hf.decode(id));
                }
            }
        }
    }

    @Test
    void noSpecialTokensAreAddedAndUnknownWordsMapToUnk() {
        MultiHopTask task = new MultiHopTask(30, 3, 2, 4, 0.3, 0.2, 1);
        try (HfTokenizer hf = write(task.vocabulary())) {
            assertArrayEquals(new int[] {task.entityToken(4), task.relationToken(2)}, hf.encode("e4 r2"));
            assertArrayEquals(new int[] {Vocabulary.BOS, task.entityToken(4), Vocabulary.UNK}, hf.encode("<bos> e4 zzz"));
            assertEquals("<bos>", hf.decode(Vocabulary.BOS));
        }
    }

    @Test
    void byteVocabularyRoundTripsAnyText() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            sb.append("Loop ").append(i).append(" über naïve façade — tabs\there.\n");
        }
        Path corpus = Files.writeString(dir.resolve("c.txt"), sb.toString(), StandardCharsets.UTF_8);
        TextFileTask task = new TextFileTask(corpus, 48, 0.05, 0.05, 2);
        try (HfTokenizer hf = write(task.vocabulary())) {
            assertEquals(260, hf.vocabSize());
            String text = "<bos>Grüße, loops!\n\tx<eos>";
            int[] ids = task.vocabulary().encode(text);
            assertArrayEquals(ids, hf.encode(text));
            assertEquals(text, hf.decode(ids));
            assertEquals(text, task.vocabulary().decode(ids));
            for (long i = 0; i < 30; i++) {
                Example e = task.example(Split.TRAIN, i, Format.DIRECT);
                if (!e.text().contains("\uFFFD")) { // a window may cut a multi-byte character
                    assertArrayEquals(e.tokens(), hf.encode(e.text()));
                    assertEquals(e.text(), hf.decode(e.tokens()));
                }
            }
        }
    }

    @Test
    void checkpointFolderWithTokenizerJsonGetsAnHfTokenizer() throws IOException {
        Vocabulary v = new ModArithTask(7, 2, 3, 0.2, 0).vocabulary();
        v.writeTokenizerJson(dir.resolve(HfTokenizer.FILE_NAME));
        Optional<Tokenizer> tok = Tokenizers.forCheckpoint(dir);
        assertInstanceOf(HfTokenizer.class, tok.orElseThrow());
        assertEquals(v.size(), tok.get().vocabSize());
        assertArrayEquals(v.encode("+ 3 4 = 0"), tok.get().encode("+ 3 4 = 0"));
        // LoopLens's own character tokenizer keeps working, and wins when both are present.
        new CharTokenizer(List.of("a", "b")).write(dir.resolve(CharTokenizer.FILE_NAME));
        assertInstanceOf(CharTokenizer.class, Tokenizers.forCheckpoint(dir).orElseThrow());
        Files.delete(dir.resolve(CharTokenizer.FILE_NAME));
        Files.delete(dir.resolve(HfTokenizer.FILE_NAME));
        assertTrue(Tokenizers.forCheckpoint(dir).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{ not json",
        "[1, 2]",
        "{\"version\": \"1.0\"}",
        "{\"model\": {\"type\": \"WordLevel\"}}",
        "{\"model\": {\"type\": \"NoSuchModel\", \"vocab\": {\"a\": 0}}}",
        "{\"model\": {\"type\": \"WordLevel\", \"vocab\": {\"a\": 0}, \"unk_token\": \"a\"}, \"pre_tokenizer\": {\"type\": \"Bogus\"}}",
        "{\"model\": {\"type\": \"WordLevel\", \"vocab\": {\"a\": \"zero\"}, \"unk_token\": \"a\"}}",
        "{\"added_tokens\": [{\"content\": \"x\"}], \"model\": {\"type\": \"WordLevel\", \"vocab\": {\"a\": 0}, \"unk_token\": \"a\"}}"
    })
    void malformedTokenizerJsonIsAnInputErrorNamingTheFile(String text) throws IOException {
        Path file = Files.writeString(dir.resolve("tokenizer.json"), text);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> HfTokenizer.load(file));
        assertEquals(file.toString(), e.source());
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertThrows(InvalidInputException.class, () -> Tokenizers.forCheckpoint(dir));
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("absent.json");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> HfTokenizer.load(file));
        assertEquals(file.toString(), e.source());
    }
}
