/**
 * Not API: the builder base with the settings every client shares, the retry loop, HTTP transport
 * with deadlines and idle timeouts, the SSE parser, the provider error mapping and the tolerant JSON
 * parser shared by the clients of engine-llm. Public only so the sibling packages can use them; may
 * change without notice.
 */
package io.erosengine.llm.internal;
