package io.erosengine.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaId;
import io.erosengine.core.port.EngineStores;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The PersonaStore contract, run against every store. */
abstract class PersonaStoreContract {
    abstract EngineStores stores();

    @Test
    void upsert_by_name_keeps_the_first_id_and_updates_every_field() {
        String name = "Nova-" + UUID.randomUUID();
        Persona first = stores().personas().upsert(Fixtures.persona(name));
        Persona changed = new Persona(PersonaId.random(), name, "New prompt", 30, "INTJ", "b", "s", List.of("q"),
                List.of("t"), java.time.ZoneId.of("Asia/Tokyo"), "ja", io.erosengine.core.model.GiftPersonality.ZEN, "g",
                "https://a/b.png", "some/model", Map.of("nested", Map.of("k", List.of("x", 1)), "flag", true));
        Persona second = stores().personas().upsert(changed);

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(stores().personas().find(first.id())).contains(changed.withId(first.id()));
        assertThat(stores().personas().findByName(name)).contains(changed.withId(first.id()));
    }

    @Test
    void extensions_are_kept_intact() {
        Persona p = stores().personas().upsert(Fixtures.persona("Ext-" + UUID.randomUUID()));
        assertThat(stores().personas().find(p.id()).orElseThrow().extensions())
                .isEqualTo(Map.of("theme", "sunset", "levels", List.of(1, 2, 3)));
    }

    @Test
    void list_returns_personas_by_name() {
        String prefix = "L-" + UUID.randomUUID() + "-";
        stores().personas().upsert(Fixtures.persona(prefix + "b"));
        stores().personas().upsert(Fixtures.persona(prefix + "a"));
        assertThat(stores().personas().list()).extracting(Persona::name).filteredOn(n -> n.startsWith(prefix))
                .containsExactly(prefix + "a", prefix + "b");
    }

    @Test
    void unknown_ids_and_names_are_empty() {
        assertThat(stores().personas().find(PersonaId.random())).isEmpty();
        assertThat(stores().personas().findByName("nobody-" + UUID.randomUUID())).isEmpty();
    }
}
