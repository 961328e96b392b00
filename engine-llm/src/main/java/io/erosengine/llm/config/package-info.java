/**
 * Per-task model configuration: a TOML file in the original eros-engine's shape ({@code [defaults]}
 * and {@code [tasks.<name>]} with model, temperature, max_tokens and a fallback list), validated when
 * loaded, resolved as persona override &gt; task &gt; defaults &gt; built-in.
 */
package io.erosengine.llm.config;
