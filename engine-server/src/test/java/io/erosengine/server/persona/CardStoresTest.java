package io.erosengine.server.persona;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.erosengine.core.lore.LoreMatcher;
import io.erosengine.core.lore.Lorebook;
import io.erosengine.core.model.Persona;
import io.erosengine.core.port.PersonaStore;
import io.erosengine.store.memory.InMemoryStores;
import io.erosengine.store.testing.TestDatabase;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An imported card survives both stores unchanged: same persona, same lorebook, same exported card. */
class CardStoresTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    private static final ObjectMapper JSON = new ObjectMapper();

    private static PersonaStore store(String kind) {
        return kind.equals("postgres") ? DB.stores().personas() : InMemoryStores.create(Clock.systemUTC()).personas();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"in-memory", "postgres"})
    void an_imported_card_reads_back_equal_and_exports_the_same_card(String kind) throws Exception {
        PersonaStore personas = store(kind);
        Persona imported = CharacterCards.fromJson(CardFixtures.resource("aria-v3.json")).persona();
        personas.upsert(imported);
        Persona stored = personas.findByName("Aria").orElseThrow();
        assertThat(stored).isEqualTo(imported);
        // jsonb keeps keys in its own order: the same card, field order aside
        assertThat(JSON.readTree(CharacterCards.toJson(stored))).isEqualTo(JSON.readTree(CharacterCards.toJson(imported)));
        assertThat(LoreMatcher.select(Lorebook.of(stored).orElseThrow(), List.of("the lamp"), 100).texts())
                .containsExactly("The island is called Rookholm.", "The lighthouse lamp has not failed in forty years.");
    }
}
