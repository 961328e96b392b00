/**
 * Lorebooks (the Character Card "character_book"): entries of background knowledge injected into the
 * prompt when one of their keys appears in the recent messages, within a token budget. Pure logic:
 * {@link io.erosengine.core.lore.Lorebook} reads a book from the JSON-like map it is stored as (in a
 * persona's extensions), {@link io.erosengine.core.lore.LoreMatcher} chooses the entries of a turn.
 */
package io.erosengine.core.lore;
