package io.erosengine.core.port;

import io.erosengine.core.model.UserId;
import io.erosengine.core.model.UserInsights;
import java.time.Instant;

/** The typed user profile, one per user. Thread-safe. */
public interface InsightStore {

    /** The user's insights, or {@link UserInsights#EMPTY}. */
    UserInsights load(UserId userId);

    /** Merges {@code update} field by field into the stored insights (atomically) and returns the result. */
    UserInsights merge(UserId userId, UserInsights update, Instant now);
}
