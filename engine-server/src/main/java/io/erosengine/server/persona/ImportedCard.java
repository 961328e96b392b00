package io.erosengine.server.persona;

import io.erosengine.core.model.Checks;
import io.erosengine.core.model.Persona;
import java.util.ArrayList;
import java.util.List;

/**
 * A Character Card read into a persona.
 *
 * @param persona the persona, not stored yet
 * @param spec the card's {@code spec}: {@code chara_card_v2} or {@code chara_card_v3}
 * @param warnings what was accepted but not as written (a newer spec version, an unusable
 *     {@code ccv3} chunk next to a good {@code chara} one), for the importer to show
 */
public record ImportedCard(Persona persona, String spec, List<String> warnings) {
    public ImportedCard {
        Checks.required(persona, "persona");
        Checks.requireText(spec, "spec");
        warnings = Checks.listOf(warnings);
    }

    /** The same card with one more warning. */
    ImportedCard withWarning(String warning) {
        List<String> all = new ArrayList<>(warnings);
        all.add(warning);
        return new ImportedCard(persona, spec, all);
    }
}
