package io.erosengine.store.memory;

import io.erosengine.core.model.UserId;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.port.InsightStore;
import java.time.Instant;

final class MemInsightStore implements InsightStore {
    private final Data data;

    MemInsightStore(Data data) { this.data = data; }

    @Override
    public UserInsights load(UserId userId) {
        synchronized (data) {
            Data.Insights i = data.insights.get(userId);
            return i == null ? UserInsights.EMPTY : i.insights();
        }
    }

    @Override
    public UserInsights merge(UserId userId, UserInsights update, Instant now) {
        synchronized (data) {
            UserInsights merged = load(userId).merge(update);
            data.insights.put(userId, new Data.Insights(merged, Data.micros(now)));
            return merged;
        }
    }
}
