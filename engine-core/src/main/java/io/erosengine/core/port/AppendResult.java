package io.erosengine.core.port;

import io.erosengine.core.model.ChatMessage;

/**
 * The result of an idempotent append.
 *
 * @param created false when a message with the same client_msg_id already existed in the session;
 *                {@code message} is then the stored one
 */
public record AppendResult(ChatMessage message, boolean created) {}
