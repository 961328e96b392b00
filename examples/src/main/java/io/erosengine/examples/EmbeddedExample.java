package io.erosengine.examples;

import io.erosengine.core.port.EngineStores;
import io.erosengine.runtime.CompanionEngine;
import io.erosengine.store.memory.InMemoryStores;

import java.io.PrintStream;

/**
 * The engine embedded in a plain Java program with zero infrastructure: the in-memory store, the
 * offline MiniLM embedder and the offline chat model. Holds {@link ScriptedConversation}.
 *
 * <p>Run: {@code scripts/example.sh embedded}
 */
public final class EmbeddedExample {
    private EmbeddedExample() {}

    public static void main(String[] args) {
        run(System.out);
    }

    /** Runs the conversation, printing to {@code out}. */
    public static void run(PrintStream out) {
        EngineStores stores = InMemoryStores.create();
        out.println("eros-engine embedded example: in-memory store, offline models");
        try (CompanionEngine engine = ScriptedConversation.engine(stores)) {
            ScriptedConversation.run(engine, stores, out);
        }
    }
}
