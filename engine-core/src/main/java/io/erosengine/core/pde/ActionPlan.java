package io.erosengine.core.pde;

import io.erosengine.core.affinity.AffinityDelta;
import io.erosengine.core.ghost.GhostDecision;
import io.erosengine.core.model.Checks;
import java.util.List;

/**
 * The PDE's decision for one event.
 *
 * @param pushes the affinity pushes this event applies (rule pushes; gift pushes; ghost pushes)
 * @param promptHints short lines for the prompt's "this turn" section
 * @param ghost the ghost decision that was evaluated (null for events that never ghost)
 */
public record ActionPlan(PlannedAction action, ReplyStyle style, AffinityDelta pushes, List<String> promptHints,
                         GhostDecision ghost) {
    public ActionPlan {
        Checks.required(action, "action");
        Checks.required(style, "style");
        Checks.required(pushes, "pushes");
        promptHints = Checks.listOf(promptHints);
    }
}
