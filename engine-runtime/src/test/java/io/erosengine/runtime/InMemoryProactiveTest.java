package io.erosengine.runtime;

import io.erosengine.core.port.EngineStores;
import io.erosengine.store.memory.InMemoryStores;

import java.time.Clock;

/** Proactive messages on the in-memory store. */
class InMemoryProactiveTest extends ProactiveContract {
    @Override
    EngineStores stores(Clock clock) { return InMemoryStores.create(clock); }
}
