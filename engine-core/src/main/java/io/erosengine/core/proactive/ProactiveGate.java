package io.erosengine.core.proactive;

import io.erosengine.core.model.Checks;
import java.time.Instant;

/** The gate's answer for one proactive check, with the rule that decided. */
public sealed interface ProactiveGate {

    /** Which rule decided, for logs. */
    String reason();

    /** Ask the PDE (and, unless it stays quiet, send). */
    record Open(String reason) implements ProactiveGate {
        public Open { Checks.requireText(reason, "reason"); }
    }

    /** Run the check again at {@code until} (quiet hours): deferred, not dropped. */
    record Defer(Instant until, String reason) implements ProactiveGate {
        public Defer {
            Checks.required(until, "until");
            Checks.requireText(reason, "reason");
        }
    }

    /** Send nothing for this check. */
    record Skip(String reason) implements ProactiveGate {
        public Skip { Checks.requireText(reason, "reason"); }
    }
}
