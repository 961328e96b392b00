/**
 * What an application that embeds the engine needs in its own tests, with no network and no
 * randomness: {@link io.erosengine.testkit.ScriptedChatModel} (fixed, echoing, blocking or failing
 * replies), {@link io.erosengine.testkit.DeterministicEmbedder} (feature hashing, can be switched off),
 * {@link io.erosengine.testkit.MutableClock} (time moved by hand), and, through this artifact's
 * dependency on engine-store, {@code io.erosengine.store.memory.InMemoryStores}. Use it in test scope.
 */
package io.erosengine.testkit;
