package org.looplens.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.engine.InvalidInputException;

/** tokenizer_config.json, special_tokens_map.json and generation_config.json as a real checkpoint has them. */
class TokenizerSettingsTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void offline() {
        System.setProperty("ai.djl.offline", "true");
    }

    @Test
    void theFixturesFilesAreRead() {
        Path fixture = ChatMlFormatTest.fixture();
        TokenizerSettings s = TokenizerSettings.read(fixture);
        assertEquals(Optional.of("<|im_start|>"), s.bosToken());
        assertEquals(Optional.of("<|im_end|>"), s.eosToken());
        assertEquals(Optional.of("<|im_end|>"), s.padToken());
        assertEquals(Optional.of(false), s.addBosToken());
        assertEquals(OptionalInt.of(1), s.bosTokenId());
        assertEquals(List.of(2, 0), s.eosTokenIds());
        ChatMlFormat.requireChatMl(s.chatTemplate(), "fixture");
        try (HfTokenizer hf = HfTokenizer.load(fixture.resolve("tokenizer.json"))) {
            assertEquals(OptionalInt.of(1), s.bosId(hf));
            assertEquals(List.of(2, 0), s.eosIds(hf));
            assertEquals(Set.of(0, 2), s.stopTokens(hf));
        }
    }

    @Test
    void tokenNamesResolveThroughTheTokenizerWithoutAGenerationConfig() throws IOException {
        Path fixture = ChatMlFormatTest.fixture();
        Files.copy(fixture.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.copy(fixture.resolve("special_tokens_map.json"), dir.resolve("special_tokens_map.json"));
        TokenizerSettings s = TokenizerSettings.read(dir);
        assertEquals(Optional.of("<|im_start|>"), s.bosToken()); // an added-token object in this file
        assertEquals(Optional.empty(), s.chatTemplate());
        try (HfTokenizer hf = HfTokenizer.load(dir.resolve("tokenizer.json"))) {
            assertEquals(OptionalInt.of(1), s.bosId(hf));
            assertEquals(List.of(2), s.eosIds(hf));
            assertEquals(Set.of(2), s.stopTokens(hf));
        }
    }

    @Test
    void aSingleEosIdAndNoFilesAtAll() throws IOException {
        assertEquals(TokenizerSettings.none(), TokenizerSettings.read(dir));
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": 7, \"do_sample\": true}");
        assertEquals(List.of(7), TokenizerSettings.read(dir).eosTokenIds());
    }

    @Test
    void malformedValuesNameTheFileAndField() throws IOException {
        Path gen = dir.resolve("generation_config.json");
        Files.writeString(gen, "{\"eos_token_id\": [2, \"x\"]}");
        var e = assertThrows(InvalidInputException.class, () -> TokenizerSettings.read(dir));
        assertEquals(gen + ": field 'eos_token_id' must be a non-negative token id or a list of them, got \"x\"",
                e.getMessage());
        Files.writeString(gen, "{\"bos_token_id\": -1}");
        e = assertThrows(InvalidInputException.class, () -> TokenizerSettings.read(dir));
        assertEquals(gen + ": field 'bos_token_id' must be a non-negative token id or a list of them, got -1",
                e.getMessage());
        Files.delete(gen);
        Path cfg = dir.resolve("tokenizer_config.json");
        Files.writeString(cfg, "{\"add_bos_token\": \"yes\"}");
        e = assertThrows(InvalidInputException.class, () -> TokenizerSettings.read(dir));
        assertEquals(cfg + ": field 'add_bos_token' must be true or false, got \"yes\"", e.getMessage());
        Files.writeString(cfg, "{\"eos_token\": 5}");
        e = assertThrows(InvalidInputException.class, () -> TokenizerSettings.read(dir));
        assertEquals(cfg + ": field 'eos_token' must be a token string or {\"content\": ...}, got 5", e.getMessage());
        Files.writeString(cfg, "{\"chat_template\": [{\"name\": \"default\", \"template\": \"x\"}]}");
        e = assertThrows(InvalidInputException.class, () -> TokenizerSettings.read(dir));
        assertEquals(cfg + ": field 'chat_template' must be a string, got a list", e.getMessage());
        Files.writeString(cfg, "[1]");
        e = assertThrows(InvalidInputException.class, () -> TokenizerSettings.read(dir));
        assertEquals(cfg + ": expected a JSON object at the top level", e.getMessage());
    }
}
