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
import org.junit.jupiter.params.provider.ValueSource;

class FallbackExtractorsTest {
    private final FallbackMemoryExtractor memories = new FallbackMemoryExtractor();
    private final FallbackInsightExtractor insights = new FallbackInsightExtractor();

    private static ExtractionInput turn(String user, String reply) {
        return new ExtractionInput(persona(), user, reply, List.of(), NOW);
    }

    /** Each case: the user's message, then the expected memories as "category: content", in order. */
    static Stream<Arguments> memoryCases() {
        return Stream.of(
                Arguments.of("I live in Lisbon", List.of("fact: The user lives in Lisbon.")),
                Arguments.of("my sister is called Ana", List.of("relation: The user's sister is called Ana.")),
                Arguments.of("I love hiking", List.of("preference: The user loves hiking.")),
                Arguments.of("Hi Nora! I'm Sam. I live in Lisbon and I work as a nurse at the children's hospital.",
                        List.of("fact: The user's name is Sam.", "fact: The user lives in Lisbon.",
                                "fact: The user works as a nurse at the children's hospital.")),
                Arguments.of("My cat is called Miso, she is a tiny grey tabby who steals my socks.",
                        List.of("fact: The user's cat is called Miso, she is a tiny grey tabby who steals the user's socks.")),
                Arguments.of("I love jazz and long walks by the river after a night shift.",
                        List.of("preference: The user loves jazz and long walks by the river after a night shift.")),
                Arguments.of("I really enjoy long walks", List.of("preference: The user really enjoys long walks.")),
                Arguments.of("I don\u2019t like mondays", List.of("preference: The user doesn't like mondays.")),
                Arguments.of("My favourite band is Radiohead!", List.of("preference: The user's favourite band is Radiohead.")),
                Arguments.of("I'm into bouldering", List.of("preference: The user is into bouldering.")),
                Arguments.of("I have a brother called Leo", List.of("relation: The user has a brother called Leo.")),
                Arguments.of("I live with my boyfriend in Porto", List.of("relation: The user lives with the user's boyfriend in Porto.")),
                Arguments.of("I adopted a cat today", List.of("event: The user adopted a cat today.")),
                Arguments.of("I went to Porto last weekend.", List.of("event: The user went to Porto last weekend.")),
                Arguments.of("I'm moving to Berlin next month", List.of("event: The user is moving to Berlin next month.")),
                Arguments.of("My sister got married yesterday", List.of("event: The user's sister got married yesterday.")),
                Arguments.of("I'm so tired", List.of("emotion: The user is so tired.")),
                Arguments.of("I feel lonely lately", List.of("emotion: The user feels lonely lately.")),
                Arguments.of("I am a bit nervous about the exam", List.of("emotion: The user is a bit nervous about the exam.")),
                Arguments.of("I'm a teacher. I'm from Lyon; I have two kids.",
                        List.of("fact: The user is a teacher.", "fact: The user is from Lyon.", "relation: The user has two kids.")),
                Arguments.of("Honestly, I watch too much anime", List.of("fact: The user watches too much anime.")),
                Arguments.of("I study law but my dream is to paint",
                        List.of("fact: The user studies law.", "fact: The user's dream is to paint.")),
                Arguments.of("My name is Jo Park", List.of("fact: The user's name is Jo Park.")),
                Arguments.of("I love hiking. I love hiking!", List.of("preference: The user loves hiking.")),
                Arguments.of("I'll call you Nono from now on", List.of("nickname: The user calls Mika \"Nono\".")),
                Arguments.of("I promise I'll tell you how the interview goes",
                        List.of("promise: The user promised to tell Mika how the interview goes.")),
                Arguments.of("I promise to visit the café you told me about",
                        List.of("promise: The user promised to visit the café Mika told the user about.")),
                Arguments.of("Thank you so much for listening to me",
                        List.of("repair: The user thanked Mika for listening to the user.")),
                Arguments.of("I'm sorry for being so grumpy", List.of("repair: The user apologised to Mika for being so grumpy.")),
                Arguments.of("Sorry I snapped at you yesterday",
                        List.of("repair: The user apologised to Mika (the user snapped at Mika yesterday).")));
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @MethodSource("memoryCases")
    void the_user_s_own_statements_become_third_person_memories_with_a_category(String message, List<String> expected) {
        List<MemoryCandidate> out = memories.extract(turn(message, "What a lovely thing to hear!"));
        assertThat(out).extracting(c -> c.category().wireName() + ": " + c.content()).containsExactlyElementsOf(expected);
        assertThat(out).allSatisfy(c -> {
            assertThat(c.importance()).isEqualTo(FallbackMemoryExtractor.IMPORTANCE);
            assertThat(c.attributedTo()).isEqualTo(Attribution.USER);
        });
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "   ", "Hi Nora!", "hello", "Good morning :)", "ok", "lol", "haha that's funny",
            "Thanks!", "thank you", "What city do I live in, and what is my job?", "Do you remember my cat's name?",
            "Guess who knocked my socks off the bed again?", "Can I call you Nono?", "I think so", "I guess",
            "I don't know", "I'm fine, thanks", "I'm back", "I'm good", "I love you", "I like talking to you",
            "I missed you so much", "You are funny", "Your drawings are beautiful", "I love it", "I like that",
            "Sorry to hear that", "Nice weather today", "The weather is nice", "Tell me a story",
            "gift: a red rose (rose)", "I see", "I was there", "My bad"})
    void questions_greetings_small_talk_and_words_to_the_persona_store_nothing(String message) {
        assertThat(memories.extract(turn(message, "I live in Paris and I love painting. My sister is called Eva.")))
                .extracting(MemoryCandidate::content)
                .isEmpty();
    }

    @Test
    void the_persona_s_reply_is_never_stored() {
        List<MemoryCandidate> out = memories.extract(turn("I love hiking", "I live in Paris. I love painting. I'm Mika."));
        assertThat(out).extracting(MemoryCandidate::content).containsExactly("The user loves hiking.");
    }

    @Test
    void profile_categories_go_to_the_profile_layer_and_signals_to_the_relationship_layer() {
        List<MemoryCandidate> out = memories.extract(turn(
                "I live in Lisbon. I'll call you Mimi. Thanks for the tip about the bakery.", ""));
        assertThat(out).extracting(MemoryCandidate::layer)
                .containsExactly(MemoryLayer.PROFILE, MemoryLayer.RELATIONSHIP, MemoryLayer.RELATIONSHIP);
        assertThat(out).extracting(MemoryCandidate::category)
                .containsExactly(MemoryCategory.FACT, MemoryCategory.NICKNAME, MemoryCategory.REPAIR);
    }

    @Test
    void a_huge_statement_is_cut_in_the_memory() {
        List<MemoryCandidate> out = memories.extract(turn("I love " + "a".repeat(5000), ""));
        assertThat(out).singleElement().satisfies(c ->
                assertThat(c.content()).hasSize(FallbackMemoryExtractor.MAX_MEMORY_CHARS + 1).startsWith("The user loves aaa").endsWith("\u2026"));
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
