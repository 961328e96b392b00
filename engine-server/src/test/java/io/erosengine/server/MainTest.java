package io.erosengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.erosengine.core.port.PersonaStore;
import io.erosengine.store.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import io.erosengine.server.persona.CardFixtures;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The command line: help, configuration errors, migrate and seed-personas. */
class MainTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    record Run(int status, String out, String err) {}

    static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void help_lists_the_commands() {
        Run r = run(Map.of(), "help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("serve").contains("migrate").contains("seed-personas <dir>");
    }

    @Test
    void an_invalid_environment_exits_2_naming_every_bad_variable() {
        Run r = run(Map.of("EMBEDDING_DIM", "lots", "BIND_ADDR", "nowhere"), "serve");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("EMBEDDING_DIM").contains("BIND_ADDR");
    }

    @Test
    void unknown_commands_and_wrong_arguments_exit_2() {
        assertThat(run(Map.of(), "launch").status()).isEqualTo(2);
        assertThat(run(Map.of(), "seed-personas").status()).isEqualTo(2);
        assertThat(run(Map.of(), "migrate").err()).contains("DATABASE_URL");
    }

    @Test
    void seed_personas_validates_without_a_database_and_reports_bad_files(@TempDir Path dir) throws Exception {
        Run ok = run(Map.of(), "seed-personas", "../personas");
        assertThat(ok.status()).isZero();
        assertThat(ok.out()).contains("validated 3 persona(s)");
        Files.writeString(dir.resolve("broken.json"), "{\"name\": \"X\"}");
        Run bad = run(Map.of(), "seed-personas", dir.toString());
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err()).contains("broken.json").contains("system_prompt");
    }

    @Test
    void seed_personas_also_reads_character_card_pngs_and_card_json(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("aria.json"), CardFixtures.resource("aria-v3.json"));
        Files.write(dir.resolve("kael.png"), CardFixtures.png(CardFixtures.text("chara", CardFixtures.b64(CardFixtures.resource("kael-v2.json")))));
        Files.copy(Path.of("..", "personas", "mira.json"), dir.resolve("mira.json"));
        Run ok = run(Map.of(), "seed-personas", dir.toString());
        assertThat(ok.status()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("validated 3 persona(s)");
        Files.write(dir.resolve("zz-broken.png"), CardFixtures.png(CardFixtures.text("chara", "%%%")));
        Run bad = run(Map.of(), "seed-personas", dir.toString());
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err()).contains("zz-broken.png").contains("the chara chunk is not valid base64");
    }

    @Test
    void migrate_and_seed_personas_work_on_postgres_and_seeding_twice_keeps_ids() {
        Map<String, String> env = Map.of("DATABASE_URL", DB.jdbcUrl());
        Run migrate = run(env, "migrate");
        assertThat(migrate.status()).as(migrate.err()).isZero();
        assertThat(migrate.out()).contains("migrated");
        Run first = run(env, "seed-personas", "../personas");
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).contains("seeded Mira").contains("seeded Kai").contains("seeded Sora");
        PersonaStore personas = DB.stores().personas();
        String miraId = personas.findByName("Mira").orElseThrow().id().toString();
        assertThat(run(env, "seed-personas", "../personas").status()).isZero();
        assertThat(personas.list()).hasSize(3);
        assertThat(personas.findByName("Mira").orElseThrow().id().toString()).isEqualTo(miraId);
    }
}
