package io.erosengine.core.prompt;

import static io.erosengine.core.Fixtures.NOW;
import static io.erosengine.core.Fixtures.USER;

import io.erosengine.core.affinity.AffinityDelta;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.ScoredMemory;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.pde.ActionPlan;
import io.erosengine.core.pde.PlannedAction;
import io.erosengine.core.pde.ReplyStyle;
import java.util.List;
import java.util.UUID;

/** Builders shared by the prompt tests. */
final class PromptTestData {
    private PromptTestData() {}

    static final SessionId SESSION = new SessionId(new UUID(7, 7));

    static ChatMessage message(int n, MessageRole role, String content, boolean ghosted) {
        return new ChatMessage(new MessageId(new UUID(1, n)), SESSION, USER, role, content, NOW.minusSeconds(1000 - n),
                null, null, ghosted, false, null, null, null, true);
    }

    static ScoredMemory scored(MemoryItem item) {
        return new ScoredMemory(item, 0.8, 0, 0, 0, 0, 0.8, 0, 0, 0, 0.8);
    }

    static ActionPlan reply(ReplyStyle style, List<String> hints) {
        return new ActionPlan(new PlannedAction.Reply(), style, AffinityDelta.ZERO, hints, null);
    }
}
