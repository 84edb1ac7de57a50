package org.looplens.engine.data;

import java.util.Set;
import org.looplens.engine.InvalidInputException;

/** One turn of a conversation: who speaks (system, user or assistant) and what they say. */
public record ChatMessage(String role, String content) {
    public static final Set<String> ROLES = Set.of("system", "user", "assistant");

    public ChatMessage {
        if (role == null || !ROLES.contains(role)) {
            throw new InvalidInputException("chat", "role must be system, user or assistant, got " + role);
        }
        if (content == null) {
            throw new InvalidInputException("chat", "a " + role + " message has no content");
        }
    }
}
