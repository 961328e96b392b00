/**
 * The OpenRouter chat client ({@code POST <base>/chat/completions}), also usable with any
 * OpenAI-compatible server (Ollama, vLLM, llama.cpp) by changing the base URL: plain and streamed
 * (SSE) replies, strict JSON-schema output for the JSON tasks, a per-task fallback chain of models,
 * retries with backoff and typed failures.
 */
package io.erosengine.llm.openrouter;
