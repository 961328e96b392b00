/**
 * The Voyage embedding client ({@code POST <base>/embeddings}): query and document input types,
 * batches of at most 1000 texts, the returned dimension checked, retries and typed failures.
 */
package io.erosengine.llm.voyage;
