package org.looplens.engine.data;

import java.util.List;
import java.util.Optional;
import org.looplens.engine.InvalidInputException;

/**
 * ChatML, the chat format of the Ouro -Thinking models: every message is
 * {@code <|im_start|>role\ncontent<|im_end|>\n}, and a generation prompt appends
 * {@code <|im_start|>assistant\n}. Java has no Jinja, so a checkpoint's chat_template is not run:
 * it is recognised as ChatML by its {@code <|im_start|>} marker, and any other template is refused
 * rather than guessed at.
 */
public final class ChatMlFormat {
    public static final String START = "<|im_start|>";
    public static final String END = "<|im_end|>";

    private ChatMlFormat() {}

    /** Checks that the checkpoint's chat template is ChatML; {@code source} names its file. */
    public static void requireChatMl(Optional<String> chatTemplate, String source) {
        if (chatTemplate.isEmpty()) {
            throw new InvalidInputException(source, "no 'chat_template': this checkpoint has no chat format;"
                    + " give the prompt as --text or --tokens");
        }
        if (!chatTemplate.get().contains(START)) {
            throw new InvalidInputException(source, "field 'chat_template' is not ChatML (no " + START
                    + "); LoopLens formats only ChatML chats, so give the formatted prompt as --text");
        }
    }

    /** The conversation as ChatML text, with {@code <|im_start|>assistant\n} appended if asked. */
    public static String format(List<ChatMessage> messages, boolean addGenerationPrompt) {
        StringBuilder sb = new StringBuilder();
        for (ChatMessage m : messages) {
            sb.append(START).append(m.role()).append('\n').append(m.content()).append(END).append('\n');
        }
        if (addGenerationPrompt) {
            sb.append(START).append("assistant\n");
        }
        return sb.toString();
    }
}
