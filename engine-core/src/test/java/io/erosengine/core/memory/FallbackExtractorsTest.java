package io.erosengine.core.memory;

import static io.erosengine.core.Fixtures.NOW;
import static io.erosengine.core.Fixtures.persona;
import static org.assertj.core.api.Assertions.assertThat;

import io.erosengine.core.model.UserInsights;
import io.erosengine.core.port.ExtractionInput;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FallbackExtractorsTest {
    private final FallbackMemoryExtractor memories = new FallbackMemoryExtractor();
    private final FallbackInsightExtractor insights = new FallbackInsightExtractor();

    private static ExtractionInput turn(String user, String reply) {
        return new ExtractionInput(persona(), user, reply, List.of(), NOW);
    }

    @Test
    void a_turn_gives_a_profile_fact_and_a_shared_experience() {
        List<MemoryCandidate> out = memories.extract(turn("  I adopted a cat today ", "A cat! What's its name?"));
        assertThat(out).containsExactly(
                new MemoryCandidate(MemoryCategory.FACT, "I adopted a cat today", 5, Attribution.USER),
                new MemoryCandidate(MemoryCategory.SHARED_EXPERIENCE,
                        "user: I adopted a cat today / Mika: A cat! What's its name?", 5, Attribution.USER));
        assertThat(out).extracting(MemoryCandidate::layer).containsExactly(MemoryLayer.PROFILE, MemoryLayer.RELATIONSHIP);
    }

    @ParameterizedTest(name = "user \"{0}\", reply \"{1}\" -> {2} candidates")
    @CsvSource(delimiter = '|', textBlock = """
            I adopted a cat | ''         | 1
            I adopted a cat | '   '      | 1
            '  '            | Hello?     | 0
            ''              | ''         | 0
            """)
    void a_ghost_turn_or_blank_text_gives_fewer_candidates(String user, String reply, int expected) {
        List<MemoryCandidate> out = memories.extract(turn(user, reply));
        assertThat(out).hasSize(expected);
        if (expected == 1) assertThat(out.get(0).category()).isEqualTo(MemoryCategory.FACT);
    }

    @Test
    void a_huge_message_is_cut_in_the_memory() {
        List<MemoryCandidate> out = memories.extract(turn("a".repeat(5000), "b".repeat(5000)));
        assertThat(out.get(0).content()).hasSize(FallbackMemoryExtractor.MAX_PART_CHARS + 1).endsWith("…");
        assertThat(out.get(1).content().length()).isLessThan(2 * FallbackMemoryExtractor.MAX_PART_CHARS + 20);
    }

    static Stream<Arguments> insightCases() {
        return Stream.of(
                Arguments.of("I live in Berlin and work as a nurse.", "Berlin", "nurse", List.of()),
                Arguments.of("i live in New York City, it's loud", "New York City", null, List.of()),
                Arguments.of("I'm from São Paulo originally", "São Paulo", null, List.of()),
                Arguments.of("I am from Lyon. My job is boring", "Lyon", null, List.of()),
                Arguments.of("I live in a small town", null, null, List.of()),
                Arguments.of("I'm from work, sorry", null, null, List.of()),
                Arguments.of("I work as a software engineer at a bank", null, "software engineer", List.of()),
                Arguments.of("I work as an Illustrator", null, "illustrator", List.of()),
                Arguments.of("I'm a teacher by profession", null, "teacher", List.of()),
                Arguments.of("I love hiking, jazz and cooking!", null, null, List.of("hiking", "jazz", "cooking")),
                Arguments.of("I really enjoy long walks on the beach", null, null, List.of()),
                Arguments.of("I really enjoy long walks", null, null, List.of("long walks")),
                Arguments.of("I like to paint", null, null, List.of("paint")),
                Arguments.of("I love you", null, null, List.of()),
                Arguments.of("I like it when you smile", null, null, List.of()),
                Arguments.of("I like talking to you", null, null, List.of()),
                Arguments.of("I'd like a coffee", null, null, List.of()),
                Arguments.of("I don't like mondays", null, null, List.of()),
                Arguments.of("I like sushi. I also love Sushi and board games", null, null, List.of("sushi", "board games")),
                Arguments.of("I like the idea of moving somewhere far away and starting over", null, null, List.of()),
                Arguments.of("Nothing to see here", null, null, List.of()));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("insightCases")
    void insight_patterns_are_deterministic_and_conservative(String message, String city, String occupation,
                                                             List<String> interests) {
        UserInsights out = insights.extract(turn(message, "nice"));
        assertThat(out.city()).isEqualTo(city);
        assertThat(out.occupation()).isEqualTo(occupation);
        assertThat(out.interests()).containsExactlyElementsOf(interests);
        assertThat(out.personalityTraits()).isEmpty();
        assertThat(out.mbtiGuess()).isNull();
    }

    @Test
    void insights_only_read_the_user_message() {
        assertThat(insights.extract(turn("cool", "I live in Paris and I love painting")).isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "I grew up in Porto but I live in Lisbon now | Porto | Lisbon",
            "I was born in New York | New York | -",
            "I grew up in a small village | - | -"})
    void the_hometown_is_where_the_user_grew_up_or_was_born(String message, String hometown, String city) {
        UserInsights out = insights.extract(turn(message, "nice"));
        assertThat(out.hometown()).isEqualTo(hometown);
        assertThat(out.city()).isEqualTo(city);
    }
}
