/**
 * The in-memory store: {@link io.erosengine.store.memory.InMemoryStores} implements every store port
 * with plain collections under one lock, for the zero-config default and for tests. What it cannot
 * match of the Postgres store is listed in its Javadoc.
 */
package io.erosengine.store.memory;
