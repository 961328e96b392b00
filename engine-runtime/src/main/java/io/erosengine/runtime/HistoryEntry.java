package io.erosengine.runtime;

import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.Checks;

import java.util.List;

/**
 * A message of a session's history with the live memories extracted from it (empty until its
 * post-process ran, and for messages nothing was learned from).
 */
public record HistoryEntry(ChatMessage message, List<MemoryItem> extracted) {
    public HistoryEntry {
        Checks.required(message, "message");
        extracted = Checks.listOf(extracted);
    }
}
