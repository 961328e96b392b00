package io.erosengine.core.pde;

import io.erosengine.core.affinity.GiftEvent;
import io.erosengine.core.model.Checks;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * What happened, as the PDE sees it. Java 17 has no pattern {@code switch}, so {@link #fold} is the
 * exhaustive case analysis: a caller must supply a branch for every kind of event, and adding a kind
 * breaks every caller at compile time.
 */
public sealed interface PdeEvent {

    /**
     * Applies exactly one of the functions, the one matching this event's kind.
     *
     * @return the chosen function's result
     */
    <R> R fold(Function<? super UserMessage, ? extends R> onUserMessage,
               Function<? super Gift, ? extends R> onGift,
               Function<? super ProactiveTrigger, ? extends R> onProactiveTrigger,
               Function<? super AppOpen, ? extends R> onAppOpen);

    /** The user wrote a message (the text as sent; never null). */
    record UserMessage(String text) implements PdeEvent {
        public UserMessage { Checks.required(text, "user message text"); }

        @Override
        public <R> R fold(Function<? super UserMessage, ? extends R> onUserMessage,
                          Function<? super Gift, ? extends R> onGift,
                          Function<? super ProactiveTrigger, ? extends R> onProactiveTrigger,
                          Function<? super AppOpen, ? extends R> onAppOpen) {
            return onUserMessage.apply(this);
        }
    }

    /** The user sent a gift. */
    record Gift(GiftEvent gift) implements PdeEvent {
        public Gift { Checks.required(gift, "gift"); }

        @Override
        public <R> R fold(Function<? super UserMessage, ? extends R> onUserMessage,
                          Function<? super Gift, ? extends R> onGift,
                          Function<? super ProactiveTrigger, ? extends R> onProactiveTrigger,
                          Function<? super AppOpen, ? extends R> onAppOpen) {
            return onGift.apply(this);
        }
    }

    /**
     * A scheduler asks whether the persona should reach out.
     *
     * @param reason why it asks (for example "quiet for two days"); may be null or blank
     * @param openThread the newest open thread (a promise or an event the user mentioned), or null
     */
    record ProactiveTrigger(String reason, String openThread) implements PdeEvent {
        public ProactiveTrigger {
            openThread = blankToNull(openThread);
        }

        @Override
        public <R> R fold(Function<? super UserMessage, ? extends R> onUserMessage,
                          Function<? super Gift, ? extends R> onGift,
                          Function<? super ProactiveTrigger, ? extends R> onProactiveTrigger,
                          Function<? super AppOpen, ? extends R> onAppOpen) {
            return onProactiveTrigger.apply(this);
        }
    }

    /**
     * The user opened the app.
     *
     * @param sinceSpokeFirst time since the persona last wrote without being asked (an app-open or a
     *                        proactive message) to this instance; empty when never
     * @param openThread the newest open thread (a promise or an event the user mentioned), or null
     * @param recentMemory the newest memory about the user or the relationship, or null
     */
    record AppOpen(Optional<Duration> sinceSpokeFirst, String openThread, String recentMemory) implements PdeEvent {
        public AppOpen {
            sinceSpokeFirst = sinceSpokeFirst == null ? Optional.empty() : sinceSpokeFirst;
            openThread = blankToNull(openThread);
            recentMemory = blankToNull(recentMemory);
        }

        @Override
        public <R> R fold(Function<? super UserMessage, ? extends R> onUserMessage,
                          Function<? super Gift, ? extends R> onGift,
                          Function<? super ProactiveTrigger, ? extends R> onProactiveTrigger,
                          Function<? super AppOpen, ? extends R> onAppOpen) {
            return onAppOpen.apply(this);
        }
    }

    /** Null for a null or blank text, else the stripped text. */
    private static String blankToNull(String s) { return s == null || s.isBlank() ? null : s.strip(); }
}
