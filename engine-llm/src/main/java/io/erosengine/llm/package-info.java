/**
 * engine-llm: adapters from engine-core's model ports to real providers (OpenRouter or any
 * OpenAI-compatible chat server, Voyage embeddings) and to offline providers that need no key. This
 * package holds the small pieces every client shares: {@link io.erosengine.llm.RetryPolicy},
 * {@link io.erosengine.llm.HttpOptions} and {@link io.erosengine.llm.Sleeper}.
 */
package io.erosengine.llm;
