package io.erosengine.core.port;

import io.erosengine.core.model.Checks;
import java.util.Locale;

/** One message of a model prompt, in chat-completion form. */
public record PromptMessage(Role role, String content) {
    /** The chat-completion roles. */
    public enum Role {
        SYSTEM, USER, ASSISTANT;

        /** The lower-case wire name. */
        public String wireName() { return name().toLowerCase(Locale.ROOT); }
    }

    public PromptMessage {
        Checks.required(role, "role");
        Checks.required(content, "content");
    }

    public static PromptMessage system(String content) { return new PromptMessage(Role.SYSTEM, content); }

    public static PromptMessage user(String content) { return new PromptMessage(Role.USER, content); }

    public static PromptMessage assistant(String content) { return new PromptMessage(Role.ASSISTANT, content); }
}
