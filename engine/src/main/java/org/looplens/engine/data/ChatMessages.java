package org.looplens.engine.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.looplens.engine.InvalidInputException;

/**
 * The two ways to write a conversation: JSON, {@code [{"role": "user", "content": "hi"}, ...]}
 * (other fields ignored), and the compact {@code role: content} line, one per message.
 */
public final class ChatMessages {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ChatMessages() {}

    /** Messages from a JSON list; {@code source} names the file or option in errors. */
    public static List<ChatMessage> parseJson(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(source, "not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isArray() || root.isEmpty()) {
            throw new InvalidInputException(source, "expected a non-empty list of {\"role\": ..., \"content\": ...}");
        }
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode m = root.get(i);
            JsonNode role = m.get("role");
            JsonNode content = m.get("content");
            if (role == null || !role.isTextual() || !ChatMessage.ROLES.contains(role.textValue())) {
                throw new InvalidInputException(source, "message " + i + ": field 'role' must be \"system\", "
                        + "\"user\" or \"assistant\", got " + role);
            }
            if (content == null || !content.isTextual()) {
                throw new InvalidInputException(source, "message " + i + ": field 'content' must be a string, got " + content);
            }
            out.add(new ChatMessage(role.textValue(), content.textValue()));
        }
        return List.copyOf(out);
    }

    /** One message written {@code role: content}; a single space after the colon is dropped. */
    public static ChatMessage parseCompact(String line, String source) {
        int colon = line.indexOf(':');
        String role = colon < 0 ? "" : line.substring(0, colon).trim();
        if (!ChatMessage.ROLES.contains(role)) {
            throw new InvalidInputException(source, "'" + line + "' is not 'system: ...', 'user: ...' or 'assistant: ...'");
        }
        String content = line.substring(colon + 1);
        return new ChatMessage(role, content.startsWith(" ") ? content.substring(1) : content);
    }
}
