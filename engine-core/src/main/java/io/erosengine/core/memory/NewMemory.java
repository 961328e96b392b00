package io.erosengine.core.memory;

import io.erosengine.core.model.Checks;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.SessionId;
import java.time.Instant;
import java.util.List;

/**
 * A memory ready to be written through merge-or-insert.
 *
 * @param scope the user and layer (the candidate's layer must match the scope's)
 * @param sourceMessageIds the messages it was extracted from
 * @param observedAt conversation time (the source message's timestamp), not processing time
 * @param embedding the document embedding of {@code candidate.content()}
 * @param embeddingModel the model that made {@code embedding}; retrieval ignores other models' rows
 */
public record NewMemory(MemoryScope scope, SessionId sessionId, List<MessageId> sourceMessageIds,
                        MemoryCandidate candidate, Instant observedAt, float[] embedding, String embeddingModel) {
    public NewMemory {
        Checks.required(scope, "scope");
        Checks.required(candidate, "candidate");
        Checks.required(observedAt, "observed_at");
        Checks.required(embedding, "embedding");
        Checks.requireText(embeddingModel, "embedding model");
        sourceMessageIds = Checks.listOf(sourceMessageIds);
        if (candidate.layer() != scope.layer()) {
            throw new IllegalArgumentException("category " + candidate.category().wireName()
                    + " belongs to the " + candidate.layer().wireName() + " layer, scope is " + scope.layer().wireName());
        }
    }
}
