package io.erosengine.store.contract;

import io.erosengine.core.port.EngineStores;
import io.erosengine.store.memory.InMemoryStores;

class InMemoryExtractionStoreTest extends ExtractionStoreContract {
    private final EngineStores stores = InMemoryStores.create();

    @Override
    EngineStores stores() { return stores; }
}
