package io.erosengine.core.port;

import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.MessageId;
import java.util.List;

/**
 * One page of a session's history, oldest first.
 *
 * @param nextBefore the cursor for the next (older) page, or null when there is none
 */
public record HistoryPage(List<ChatMessage> messages, MessageId nextBefore) {
    public HistoryPage { messages = List.copyOf(messages); }
}
