package org.looplens.app.cli;

import java.nio.file.Path;
import java.util.List;
import org.looplens.app.inspect.ChatPrompt;
import org.looplens.app.inspect.TokenIds;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.data.Tokenizer;
import org.looplens.engine.data.Tokenizers;
import org.looplens.engine.run.InputCheck;
import picocli.CommandLine.Option;

/**
 * {@code --tokens 1,2,3}, {@code --text STR} or a chat ({@code --chat "user: hi"} repeated and/or
 * {@code --chat-file FILE}, formatted as ChatML): exactly one of the three.
 */
final class InputOptions {
    @Option(names = "--tokens", paramLabel = "IDS", description = "Comma-separated token ids, e.g. 32,49,39.")
    String tokens;

    @Option(names = "--text", paramLabel = "STR", description = "Text, encoded with the checkpoint's tokenizer.")
    String text;

    @Option(names = "--chat", paramLabel = "ROLE: TEXT",
            description = "A chat message, e.g. \"user: hi\" (repeat for turns; role: system, user or assistant).")
    List<String> chat;

    @Option(names = "--chat-file", paramLabel = "FILE",
            description = "A chat as JSON: [{\"role\": \"user\", \"content\": \"hi\"}, ...].")
    Path chatFile;

    @Option(names = "--no-generation-prompt",
            description = "Do not open the assistant's turn after the chat (<|im_start|>assistant).")
    boolean noGenerationPrompt;

    /**
     * The token ids of the input, checked against the model's vocabulary and context so that a
     * bad id is reported against the option that gave it.
     */
    int[] resolve(Path checkpoint, LoopConfig config) {
        int[] ids = resolve(checkpoint);
        InputCheck.tokens(config, ids, 0, (tokens != null ? "--tokens" : text != null ? "--text" : "--chat")
                + " for " + checkpoint);
        return ids;
    }

    private int[] resolve(Path checkpoint) {
        boolean isChat = chat != null || chatFile != null;
        if ((tokens != null ? 1 : 0) + (text != null ? 1 : 0) + (isChat ? 1 : 0) != 1) {
            throw new InvalidInputException("input", "give exactly one of --tokens, --text or --chat/--chat-file");
        }
        if (tokens != null) {
            return TokenIds.parse(tokens);
        }
        Tokenizer tok = Tokenizers.forCheckpoint(checkpoint).orElseThrow(() -> new InvalidInputException(
                checkpoint.toString(), "no tokenizer LoopLens can read in this checkpoint; use --tokens"));
        String input = isChat ? ChatPrompt.text(checkpoint, ChatPrompt.messages(chat, chatFile), !noGenerationPrompt)
                : text;
        int[] ids = tok.encode(input);
        if (ids.length == 0) {
            throw new InvalidInputException("--text", "empty input");
        }
        return ids;
    }
}
