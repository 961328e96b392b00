/**
 * Providers that need no network and no key, the zero-config default: an in-process MiniLM sentence
 * embedder (ONNX, 384 dimensions zero-padded), a tiny deterministic hashing embedder for fast tests,
 * and a deterministic chat model that answers in character from the assembled prompt.
 */
package io.erosengine.llm.offline;
