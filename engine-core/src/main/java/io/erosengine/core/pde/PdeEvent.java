package io.erosengine.core.pde;

import io.erosengine.core.affinity.GiftEvent;

/** What happened, as the PDE sees it. */
public sealed interface PdeEvent {
    /** The user wrote a message. */
    record UserMessage(String text) implements PdeEvent {}

    /** The user sent a gift. */
    record Gift(GiftEvent gift) implements PdeEvent {}

    /** A scheduler asks whether the persona should reach out. */
    record ProactiveTrigger(String reason) implements PdeEvent {}

    /** The user opened the app. */
    record AppOpen() implements PdeEvent {}
}
