package io.erosengine.store.contract;

import io.erosengine.core.port.EngineStores;
import io.erosengine.store.memory.InMemoryStores;

class InMemoryJobQueueTest extends JobQueueContract {
    private EngineStores stores;

    @Override
    EngineStores stores() { return stores; }

    @Override
    void emptyQueue() { stores = InMemoryStores.create(); }
}
