package org.looplens.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.looplens.engine.InvalidInputException;

/**
 * ChatML formatting against hand-written strings, and its token ids through the committed
 * byte-level fixture (resources/chatml: ids 0..2 are the specials, byte b is id b + 3).
 */
class ChatMlFormatTest {
    private static final List<ChatMessage> THREE_TURNS = List.of(
            new ChatMessage("user", "hi"), new ChatMessage("assistant", "hello"), new ChatMessage("user", "and?"));

    @BeforeAll
    static void offline() {
        System.setProperty("ai.djl.offline", "true");
    }

    static Path fixture() {
        try {
            return Path.of(ChatMlFormatTest.class.getResource("/chatml/tokenizer.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void multiTurnWithoutSystemMessage() {
        assertEquals("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\nhello<|im_end|>\n"
                + "<|im_start|>user\nand?<|im_end|>\n", ChatMlFormat.format(THREE_TURNS, false));
        assertEquals("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\nhello<|im_end|>\n"
                + "<|im_start|>user\nand?<|im_end|>\n<|im_start|>assistant\n", ChatMlFormat.format(THREE_TURNS, true));
    }

    @Test
    void systemMessageComesFirstAsItsOwnTurn() {
        List<ChatMessage> chat = List.of(new ChatMessage("system", "Be brief."),
                new ChatMessage("user", "2+2?\nThink."));
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n2+2?\nThink.<|im_end|>\n"
                + "<|im_start|>assistant\n", ChatMlFormat.format(chat, true));
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n2+2?\nThink.<|im_end|>\n",
                ChatMlFormat.format(chat, false));
    }

    @Test
    void markersEncodeAsSingleSpecialTokens() {
        try (HfTokenizer hf = HfTokenizer.load(fixture().resolve("tokenizer.json"))) {
            String text = ChatMlFormat.format(List.of(new ChatMessage("user", "hi")), true);
            // <|im_start|> u s e r \n h i <|im_end|> \n <|im_start|> a s s i s t a n t \n
            int[] expected = {1, 120, 118, 104, 117, 13, 107, 108, 2, 13,
                1, 100, 118, 118, 108, 118, 119, 100, 113, 119, 13};
            assertArrayEquals(expected, hf.encode(text));
            assertEquals(text, hf.decode(expected));
            assertEquals("<|im_start|>", hf.decode(1));
            assertEquals("<|im_end|>", hf.decode(2));
        }
    }

    @Test
    void onlyChatMlTemplatesAreAccepted() {
        ChatMlFormat.requireChatMl(Optional.of("{% for m in messages %}<|im_start|>{{ m.role }}{% endfor %}"), "f");
        var other = assertThrows(InvalidInputException.class, () -> ChatMlFormat.requireChatMl(
                Optional.of("{% for m in messages %}[INST] {{ m.content }} [/INST]{% endfor %}"), "dir/tokenizer_config.json"));
        assertEquals("dir/tokenizer_config.json", other.source());
        assertTrue(other.problem().contains("not ChatML"), other.problem());
        var none = assertThrows(InvalidInputException.class, () -> ChatMlFormat.requireChatMl(Optional.empty(), "x"));
        assertTrue(none.problem().contains("no 'chat_template'"), none.problem());
    }

    @Test
    void messagesParseFromJsonAndTheCompactForm() {
        assertEquals(THREE_TURNS, ChatMessages.parseJson("""
                [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello", "extra": 1},
                 {"role": "user", "content": "and?"}]""", "chat.json"));
        assertEquals(new ChatMessage("user", "a: b"), ChatMessages.parseCompact("user: a: b", "--chat"));
        assertEquals(new ChatMessage("system", ""), ChatMessages.parseCompact("system:", "--chat"));
        var badRole = assertThrows(InvalidInputException.class,
                () -> ChatMessages.parseJson("[{\"role\": \"bot\", \"content\": \"x\"}]", "chat.json"));
        assertEquals("chat.json: message 0: field 'role' must be \"system\", \"user\" or \"assistant\", got \"bot\"",
                badRole.getMessage());
        var badContent = assertThrows(InvalidInputException.class,
                () -> ChatMessages.parseJson("[{\"role\": \"user\", \"content\": 3}]", "chat.json"));
        assertEquals("chat.json: message 0: field 'content' must be a string, got 3", badContent.getMessage());
        assertThrows(InvalidInputException.class, () -> ChatMessages.parseJson("{}", "chat.json"));
        assertThrows(InvalidInputException.class, () -> ChatMessages.parseCompact("hi there", "--chat"));
    }
}
