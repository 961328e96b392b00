package io.erosengine.runtime.internal;

import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.UserId;

import java.util.List;

/** The history a prompt shows: the session's last messages without the unselected alternative replies. */
public final class PromptHistory {
    private PromptHistory() {}

    /**
     * Up to the budget's {@code historyMessages} messages strictly older than {@code before} (null:
     * the newest), oldest first, unselected alternatives left out.
     */
    public static List<ChatMessage> of(EngineParts p, UserId userId, SessionId sessionId, MessageId before) {
        return p.stores().conversations().history(userId, sessionId, Math.max(1, p.budgets().historyMessages()), before)
                .messages().stream().filter(ChatMessage::selected).toList();
    }
}
