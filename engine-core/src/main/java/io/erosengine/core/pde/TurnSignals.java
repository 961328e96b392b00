package io.erosengine.core.pde;

import java.time.Duration;
import java.util.Optional;

/**
 * Facts about the conversation the PDE reads.
 *
 * @param userMessagesInSession user messages in the session, the current one included
 * @param sincePreviousUserMessage time since the user's previous message (not the current one) to this instance
 * @param ghostStreak ghosts in a row
 * @param totalGhosts ghosts ever on the instance
 * @param sinceLastGhost time since the last ghost, empty if never
 */
public record TurnSignals(int userMessagesInSession, Optional<Duration> sincePreviousUserMessage, int ghostStreak,
                          int totalGhosts, Optional<Duration> sinceLastGhost) {
    public TurnSignals {
        if (userMessagesInSession < 0 || ghostStreak < 0 || totalGhosts < ghostStreak) {
            throw new IllegalArgumentException("turn signal counts must be >= 0 and streak <= total");
        }
        sincePreviousUserMessage = sincePreviousUserMessage == null ? Optional.empty() : sincePreviousUserMessage;
        sinceLastGhost = sinceLastGhost == null ? Optional.empty() : sinceLastGhost;
    }
}
