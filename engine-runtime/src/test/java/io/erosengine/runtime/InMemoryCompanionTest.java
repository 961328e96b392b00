package io.erosengine.runtime;

import io.erosengine.core.port.EngineStores;
import io.erosengine.store.memory.InMemoryStores;

import java.time.Clock;

/** The companion features on the in-memory store. */
class InMemoryCompanionTest extends CompanionContract {
    @Override
    EngineStores stores(Clock clock) { return InMemoryStores.create(clock); }
}
