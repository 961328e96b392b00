package io.erosengine.core.prompt;

import io.erosengine.core.port.PromptMessage;
import java.util.List;

/**
 * The prompt ready for the chat model: one system message (the sections in order), the recent history
 * and the new user message; {@code sections} lists the system message's parts with their budgets.
 */
public record AssembledPrompt(List<PromptMessage> messages, List<PromptSection> sections) {
    public AssembledPrompt {
        messages = List.copyOf(messages);
        sections = List.copyOf(sections);
    }
}
