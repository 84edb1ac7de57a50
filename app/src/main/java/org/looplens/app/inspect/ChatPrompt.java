package org.looplens.app.inspect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.data.ChatMessage;
import org.looplens.engine.data.ChatMessages;
import org.looplens.engine.data.ChatMlFormat;
import org.looplens.engine.data.TokenizerSettings;

/**
 * A chat given on the command line ({@code --chat "user: hi"}, repeatable) or in a JSON file
 * ({@code --chat-file}), formatted with the checkpoint's chat template, which must be ChatML.
 */
public final class ChatPrompt {
    private ChatPrompt() {}

    /** The messages of a chat file first, then the compact ones; empty when neither is given. */
    public static List<ChatMessage> messages(List<String> compact, Path file) {
        List<ChatMessage> out = new ArrayList<>();
        if (file != null) {
            try {
                out.addAll(ChatMessages.parseJson(Files.readString(file), file.toString()));
            } catch (NoSuchFileException e) {
                throw new InvalidInputException(file.toString(), "file not found");
            } catch (IOException e) {
                throw new InvalidInputException(file.toString(), "cannot read: " + e.getMessage());
            }
        }
        if (compact != null) {
            for (String line : compact) {
                out.add(ChatMessages.parseCompact(line, "--chat"));
            }
        }
        return List.copyOf(out);
    }

    /** The chat as the checkpoint's ChatML text; the generation prompt opens the assistant's turn. */
    public static String text(Path checkpoint, List<ChatMessage> messages, boolean generationPrompt) {
        TokenizerSettings settings = TokenizerSettings.read(checkpoint);
        ChatMlFormat.requireChatMl(settings.chatTemplate(), checkpoint.resolve(TokenizerSettings.CONFIG_FILE).toString());
        return ChatMlFormat.format(messages, generationPrompt);
    }
}
