/**
 * The LLM-backed post-process tasks: memory extraction, insight extraction and the affinity judge,
 * each one strict-JSON call over a {@link io.erosengine.core.port.ChatModel} read with a tolerant
 * parser. Malformed output gives an empty result (logged); provider failures propagate as
 * {@link io.erosengine.core.port.ModelException} so the durable job retries later.
 */
package io.erosengine.llm.extract;
