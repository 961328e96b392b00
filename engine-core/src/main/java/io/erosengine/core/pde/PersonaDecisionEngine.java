package io.erosengine.core.pde;

import io.erosengine.core.affinity.AffinityEngine;
import io.erosengine.core.affinity.GiftCatalog;
import io.erosengine.core.ghost.GhostPolicy;

/**
 * The Persona Decision Engine: event -> action plan, a pure function (same input, same plan).
 * Rules in order: gift -> gift_reaction (style from gift_personality); ghost rule -> ghost (cold);
 * proactive trigger / app open -> proactive; else reply with a style derived from affinity.
 */
public final class PersonaDecisionEngine {
    private final AffinityEngine affinity;
    private final GhostPolicy ghostPolicy;
    private final GiftCatalog giftCatalog;

    public PersonaDecisionEngine(AffinityEngine affinity, GhostPolicy ghostPolicy, GiftCatalog giftCatalog) {
        this.affinity = affinity;
        this.ghostPolicy = ghostPolicy;
        this.giftCatalog = giftCatalog;
    }

    /** Decides the plan for one event. */
    public ActionPlan decide(PdeInput input) {
        throw new UnsupportedOperationException("TODO(core-logic)");
    }
}
