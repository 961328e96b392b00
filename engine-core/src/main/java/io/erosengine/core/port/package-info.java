/**
 * The ports: small interfaces the outer modules implement (chat and embedding models, the stores,
 * the job queue, the extractors). Adapters live in engine-llm and engine-store; tests use
 * hand-written fakes. Every store method is scoped by user id.
 */
package io.erosengine.core.port;
