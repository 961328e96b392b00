package io.erosengine.runtime;

import io.erosengine.core.port.EngineStores;
import io.erosengine.store.memory.InMemoryStores;

import java.time.Clock;

/** The engine on the in-memory store. */
class InMemoryEngineTest extends EngineContract {
    @Override
    EngineStores stores(Clock clock) { return InMemoryStores.create(clock); }
}
