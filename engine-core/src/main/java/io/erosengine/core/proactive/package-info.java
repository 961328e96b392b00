/**
 * The operator's hard bounds on proactive messages (the persona reaching out after a silence):
 * switched on, the user not opted out, not superseded by a newer user message, fewer than two
 * unanswered in a row, the daily cap, and quiet hours in the persona's time zone or one the operator
 * fixes (deferred, not dropped). Pure and deterministic: the caller supplies the clock and the counts.
 * The store checks the counted bounds ({@link io.erosengine.core.proactive.ProactiveLimits}) again,
 * atomically per user, when it stores a message.
 */
package io.erosengine.core.proactive;
