package io.erosengine.store.postgres;

import io.erosengine.core.model.GiftPersonality;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaId;
import io.erosengine.core.port.PersonaStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/** Personas in engine.personas, upserted by name. */
final class PgPersonaStore implements PersonaStore {
    private final Pg pg;

    PgPersonaStore(Pg pg) { this.pg = pg; }

    @Override
    public Persona upsert(Persona p) {
        java.util.UUID id = pg.call(h -> h.createQuery("""
                INSERT INTO engine.personas (id, name, system_prompt, age, mbti, backstory, speech_style, quirks, topics,
                    timezone, language, gift_personality, greeting, avatar_url, model_override, extensions)
                VALUES (:id, :name, :systemPrompt, :age, :mbti, :backstory, :speechStyle, CAST(:quirks AS jsonb),
                    CAST(:topics AS jsonb), :timezone, :language, :gift, :greeting, :avatarUrl, :modelOverride,
                    CAST(:extensions AS jsonb))
                ON CONFLICT (name) DO UPDATE SET system_prompt = EXCLUDED.system_prompt, age = EXCLUDED.age,
                    mbti = EXCLUDED.mbti, backstory = EXCLUDED.backstory, speech_style = EXCLUDED.speech_style,
                    quirks = EXCLUDED.quirks, topics = EXCLUDED.topics, timezone = EXCLUDED.timezone,
                    language = EXCLUDED.language, gift_personality = EXCLUDED.gift_personality,
                    greeting = EXCLUDED.greeting, avatar_url = EXCLUDED.avatar_url,
                    model_override = EXCLUDED.model_override, extensions = EXCLUDED.extensions, updated_at = now()
                RETURNING id""")
                .bind("id", p.id().value()).bind("name", p.name()).bind("systemPrompt", p.systemPrompt())
                .bind("age", p.age()).bind("mbti", p.mbti()).bind("backstory", p.backstory())
                .bind("speechStyle", p.speechStyle()).bind("quirks", Pg.json(p.quirks()))
                .bind("topics", Pg.json(p.topics())).bind("timezone", p.timezone().getId())
                .bind("language", p.language()).bind("gift", p.giftPersonality().wireName())
                .bind("greeting", p.greeting()).bind("avatarUrl", p.avatarUrl())
                .bind("modelOverride", p.modelOverride()).bind("extensions", Pg.json(p.extensions()))
                .mapTo(java.util.UUID.class).one());
        return p.withId(new PersonaId(id));
    }

    @Override
    public Optional<Persona> find(PersonaId id) {
        return pg.call(h -> h.createQuery("SELECT * FROM engine.personas WHERE id = :id")
                .bind("id", id.value()).map((rs, ctx) -> read(rs)).findOne());
    }

    @Override
    public Optional<Persona> findByName(String name) {
        return pg.call(h -> h.createQuery("SELECT * FROM engine.personas WHERE name = :name")
                .bind("name", name).map((rs, ctx) -> read(rs)).findOne());
    }

    @Override
    public List<Persona> list() {
        return pg.call(h -> h.createQuery("SELECT * FROM engine.personas ORDER BY name COLLATE \"C\"")
                .map((rs, ctx) -> read(rs)).list());
    }

    private static Persona read(ResultSet rs) throws SQLException {
        return new Persona(new PersonaId(Pg.uuid(rs, "id")), rs.getString("name"), rs.getString("system_prompt"),
                Pg.nullableInt(rs, "age"), rs.getString("mbti"), rs.getString("backstory"),
                rs.getString("speech_style"), Pg.stringList(rs.getString("quirks")),
                Pg.stringList(rs.getString("topics")), ZoneId.of(rs.getString("timezone")),
                rs.getString("language"), GiftPersonality.parse(rs.getString("gift_personality")),
                rs.getString("greeting"), rs.getString("avatar_url"), rs.getString("model_override"),
                Pg.jsonObject(rs.getString("extensions")));
    }
}
