package io.erosengine.core.pde;

import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.model.Checks;
import io.erosengine.core.model.Persona;

/** Everything the PDE reads: the event, the decayed affinity, the persona and the turn signals. */
public record PdeInput(PdeEvent event, AffinityState affinity, Persona persona, TurnSignals signals) {
    public PdeInput {
        Checks.required(event, "event");
        Checks.required(affinity, "affinity");
        Checks.required(persona, "persona");
        Checks.required(signals, "signals");
    }
}
