package io.erosengine.core.port;

import io.erosengine.core.model.Checks;
import java.util.List;

/**
 * A chat-model call.
 *
 * @param task the task, which selects model settings in the model config
 * @param messages the prompt, system message first
 * @param modelOverride a model to use instead of the task's (persona override), or null
 * @param responseJsonSchema a strict JSON schema the reply must follow (JSON tasks), or null for text
 * @param endUserTag an opaque end-user id to pass to the provider ({@code user}), or null
 */
public record ChatRequest(ModelTask task, List<PromptMessage> messages, String modelOverride,
                          String responseJsonSchema, String endUserTag) {
    public ChatRequest {
        Checks.required(task, "task");
        messages = Checks.listOf(messages);
        if (messages.isEmpty()) throw new IllegalArgumentException("a chat request needs at least one message");
    }

    /** A plain text request for {@code task}. */
    public static ChatRequest of(ModelTask task, List<PromptMessage> messages) {
        return new ChatRequest(task, messages, null, null, null);
    }
}
