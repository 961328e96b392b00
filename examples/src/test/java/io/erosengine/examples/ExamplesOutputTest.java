package io.erosengine.examples;

import io.erosengine.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs both examples and checks their output shows recall and affinity movement, not just an exit code. */
class ExamplesOutputTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @Test
    void the_embedded_example_recalls_session_one_facts_in_session_two_and_moves_affinity() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EmbeddedExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertShowsRecallAndAffinity(bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void the_postgres_example_does_the_same_and_prints_the_rows_it_wrote() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PostgresExample.run(DB.jdbcUrl(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertShowsRecallAndAffinity(out);
        assertThat(out).contains("== rows written (plain SQL)").containsPattern("companion_memories \\| [1-9]")
                .containsPattern("chat_messages \\| [1-9]");
    }

    /** The checks scripts/check-examples.sh makes too. */
    static void assertShowsRecallAndAffinity(String out) {
        assertThat(out).containsPattern("(?m)^  recalled: .*Miso");
        assertThat(out).containsPattern("(?m)^  recalled: .*Lisbon");
        assertThat(out).containsPattern("(?m)^Nora \\[reply[^\\n]*Miso");
        assertThat(out).containsPattern("(?m)^gift landed: pushes \\w+ \\+");
        assertThat(out).containsPattern("(?m)^affinity moved: .*warmth 0\\.300 -> 0\\.3\\d\\d");
    }
}
