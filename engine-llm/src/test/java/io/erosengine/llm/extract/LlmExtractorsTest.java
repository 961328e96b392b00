package io.erosengine.llm.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.memory.Attribution;
import io.erosengine.core.memory.MemoryCandidate;
import io.erosengine.core.memory.MemoryCategory;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaId;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.port.AffinityJudge;
import io.erosengine.core.port.ChatModel;
import io.erosengine.core.port.ChatRequest;
import io.erosengine.core.port.ChatResponse;
import io.erosengine.core.port.ExtractionInput;
import io.erosengine.core.port.ModelException;
import io.erosengine.core.port.ModelTask;
import io.erosengine.core.port.PromptMessage;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LlmExtractorsTest {

    /** A hand-written fake of the ChatModel port: answers with a fixed text and records requests. */
    private static final class ScriptedModel implements ChatModel {
        private final String reply;
        final List<ChatRequest> requests = new ArrayList<>();

        ScriptedModel(String reply) { this.reply = reply; }

        @Override
        public ChatResponse complete(ChatRequest request) {
            requests.add(request);
            return new ChatResponse(reply, "fake/model", null, false, null);
        }

        @Override
        public ChatResponse stream(ChatRequest request, Consumer<String> onDelta) { throw new UnsupportedOperationException(); }
    }

    private static final ExtractionInput INPUT = new ExtractionInput(
            new Persona(PersonaId.random(), "Aria", "You are Aria.", null, null, null, null, null, null, null, null, null,
                    null, null, null, null),
            "My dog Biscuit turns three tomorrow!", "Happy early birthday to Biscuit!",
            List.of(PromptMessage.user("hey"), PromptMessage.assistant("hi you")), Instant.parse("2026-02-01T20:00:00Z"));

    @Test
    void memories_are_read_from_json_wrapped_in_prose_and_a_code_fence() {
        ScriptedModel model = new ScriptedModel("""
                Sure! Here is what I found:
                ```json
                {"memories": [
                  {"layer": "profile", "category": "fact", "content": "The user's dog Biscuit turns three on Feb 2",
                   "importance": 6, "attributed_to": "user"},
                  {"layer": "relationship", "category": "promise", "content": "Aria promised to celebrate Biscuit's birthday {soon}",
                   "importance": 4, "attributed_to": "persona"}
                ]}
                ```
                Hope that helps.""");
        List<MemoryCandidate> out = new LlmMemoryExtractor(model).extract(INPUT);

        assertThat(out).containsExactly(
                new MemoryCandidate(MemoryCategory.FACT, "The user's dog Biscuit turns three on Feb 2", 6, Attribution.USER),
                new MemoryCandidate(MemoryCategory.PROMISE, "Aria promised to celebrate Biscuit's birthday {soon}", 4,
                        Attribution.PERSONA));
        ChatRequest sent = model.requests.get(0);
        assertThat(sent.task()).isEqualTo(ModelTask.MEMORY_EXTRACTION);
        assertThat(sent.responseJsonSchema()).isEqualTo(LlmMemoryExtractor.SCHEMA);
        assertThat(sent.messages().get(1).content()).contains("My dog Biscuit turns three tomorrow!")
                .contains("Happy early birthday").contains("2026-02-01T20:00:00Z");
    }

    @Test
    void the_model_gets_the_conversation_time_with_weekday_and_zone_and_is_told_to_write_absolute_dates() {
        ScriptedModel model = new ScriptedModel("{\"memories\": []}");
        new LlmMemoryExtractor(model).extract(INPUT);
        ChatRequest sent = model.requests.get(0);
        assertThat(sent.messages().get(0).content()).contains("absolute date").contains("\"yesterday\" -> \"on 7 May 2023\"");
        assertThat(sent.messages().get(1).content())
                .contains("Conversation time: Sunday 1 February 2026, 20:00 in UTC (2026-02-01T20:00:00Z)")
                .contains("The user's message with its dates resolved: My dog Biscuit turns three on 2 February 2026!");
    }

    @Test
    void relative_dates_resolve_in_the_personas_zone_and_a_message_without_them_gets_no_hint() {
        Persona tokyo = new Persona(PersonaId.random(), "Aria", "You are Aria.", null, null, null, null, null, null,
                ZoneId.of("Asia/Tokyo"), null, null, null, null, null, null);
        ScriptedModel model = new ScriptedModel("{\"memories\": []}");
        LlmMemoryExtractor extractor = new LlmMemoryExtractor(model);
        extractor.extract(new ExtractionInput(tokyo, INPUT.userMessage(), "", List.of(), INPUT.observedAt()));
        assertThat(model.requests.get(0).messages().get(1).content())
                .contains("Conversation time: Monday 2 February 2026, 05:00 in Asia/Tokyo (2026-02-01T20:00:00Z)")
                .contains("My dog Biscuit turns three on 3 February 2026!");
        extractor.extract(new ExtractionInput(tokyo, "I love pottery", "", List.of(), INPUT.observedAt()));
        assertThat(model.requests.get(1).messages().get(1).content()).doesNotContain("dates resolved");
    }

    @Test
    void invalid_memory_items_are_dropped_and_valid_ones_kept() {
        String reply = """
                {"memories": [
                  {"layer": "relationship", "category": "fact", "content": "wrong layer", "importance": 5, "attributed_to": "user"},
                  {"layer": "profile", "category": "gossip", "content": "unknown category", "importance": 5, "attributed_to": "user"},
                  {"layer": "profile", "category": "fact", "content": "  ", "importance": 5, "attributed_to": "user"},
                  {"layer": "profile", "category": "fact", "content": "too important", "importance": 11, "attributed_to": "user"},
                  {"layer": "profile", "category": "fact", "content": "importance as text", "importance": "high", "attributed_to": "user"},
                  {"layer": "profile", "category": "preference", "content": "Likes long walks", "importance": 3, "attributed_to": "user"}
                ]}""";
        assertThat(new LlmMemoryExtractor(new ScriptedModel(reply)).extract(INPUT))
                .extracting(MemoryCandidate::content).containsExactly("Likes long walks");
    }

    @ParameterizedTest(name = "malformed: {0}")
    @ValueSource(strings = {"I could not find anything.", "{\"memories\": \"none\"}", "{\"items\": []}", "[]", "{\"memories\": [ {"})
    void malformed_extraction_output_gives_no_memories(String reply) {
        assertThat(new LlmMemoryExtractor(new ScriptedModel(reply)).extract(INPUT)).isEmpty();
    }

    @Test
    void provider_failures_propagate_so_the_job_retries_later() {
        ChatModel down = new ChatModel() {
            @Override
            public ChatResponse complete(ChatRequest request) {
                throw new ModelException.Unavailable("down", 503, null, "m", "", null);
            }

            @Override
            public ChatResponse stream(ChatRequest request, Consumer<String> onDelta) { throw new UnsupportedOperationException(); }
        };
        assertThatThrownBy(() -> new LlmMemoryExtractor(down).extract(INPUT)).isInstanceOf(ModelException.Unavailable.class);
    }

    @Test
    void insights_are_read_field_by_field_with_nulls_and_wrong_types_as_unknown() {
        ScriptedModel model = new ScriptedModel("""
                {"city": "Lisbon", "occupation": null, "interests": ["dogs", "", 5, "birthdays"],
                 "personality_traits": "warm", "emotional_needs": "  ", "life_rhythm": null, "love_values": null,
                 "mbti_guess": "ENFP"}""");
        UserInsights out = new LlmInsightExtractor(model).extract(INPUT);
        assertThat(out).isEqualTo(new UserInsights("Lisbon", null, List.of("dogs", "birthdays"), List.of(), null, null, null, "ENFP"));
        assertThat(model.requests.get(0).task()).isEqualTo(ModelTask.INSIGHT_EXTRACTION);
        assertThat(model.requests.get(0).responseJsonSchema()).isEqualTo(LlmInsightExtractor.SCHEMA);
    }

    @Test
    void the_extended_profile_fields_are_read_and_an_inverted_or_impossible_age_range_is_dropped() {
        ScriptedModel model = new ScriptedModel("""
                {"city": null, "location": "Algarve", "hometown": "Porto", "nationality": "Portuguese",
                 "education": "nursing degree", "family": "two sisters", "relationship_history": null,
                 "social_pattern": "a few close friends", "future_plans": "move abroad", "finance_status": null,
                 "preferred_gender": "women", "age_min": 25, "age_max": 35, "deal_breakers": ["smoking", 3]}""");
        UserInsights out = new LlmInsightExtractor(model).extract(INPUT);
        assertThat(out).isEqualTo(new UserInsights(null, null, List.of(), List.of(), null, null, null, null, "Algarve",
                "Porto", "Portuguese", "nursing degree", "two sisters", null, "a few close friends", "move abroad", null,
                "women", 25, 35, List.of("smoking")));

        UserInsights inverted = new LlmInsightExtractor(new ScriptedModel("""
                {"age_min": 40, "age_max": 30}""")).extract(INPUT);
        UserInsights impossible = new LlmInsightExtractor(new ScriptedModel("""
                {"age_min": -1, "age_max": 900}""")).extract(INPUT);
        assertThat(inverted).isEqualTo(UserInsights.EMPTY);
        assertThat(impossible).isEqualTo(UserInsights.EMPTY);
    }

    @Test
    void malformed_insight_output_gives_empty_insights() {
        assertThat(new LlmInsightExtractor(new ScriptedModel("no idea")).extract(INPUT)).isEqualTo(UserInsights.EMPTY);
    }

    @Test
    void the_judge_returns_pushes_and_a_reason_unclamped_for_the_caller_to_clamp() {
        ScriptedModel model = new ScriptedModel("""
                {"warmth": 0.2, "trust": 0.1, "intrigue": 0.05, "intimacy": 0.9, "patience": 0, "tension": -0.1,
                 "reason": "The user shared something joyful."}""");
        Optional<AffinityJudge.Verdict> verdict = new LlmAffinityJudge(model).judge(INPUT, AffinityState.INITIAL);
        assertThat(verdict).isPresent();
        assertThat(verdict.get().pushes().warmth()).isEqualTo(0.2);
        assertThat(verdict.get().pushes().intimacy()).isEqualTo(0.9);
        assertThat(verdict.get().reason()).isEqualTo("The user shared something joyful.");
        assertThat(model.requests.get(0).task()).isEqualTo(ModelTask.AFFINITY_EVALUATION);
        assertThat(model.requests.get(0).messages().get(1).content()).contains("warmth 0.30");
    }

    @ParameterizedTest(name = "malformed verdict: {0}")
    @ValueSource(strings = {
        "{\"warmth\": 0.2, \"trust\": 0.1, \"intrigue\": 0, \"intimacy\": 0, \"patience\": 0, \"reason\": \"no tension\"}",
        "{\"warmth\": \"high\", \"trust\": 0.1, \"intrigue\": 0, \"intimacy\": 0, \"patience\": 0, \"tension\": 0, \"reason\": \"x\"}",
        "{\"warmth\": 0, \"trust\": 0, \"intrigue\": 0, \"intimacy\": 0, \"patience\": 0, \"tension\": 0}",
        "The exchange was nice."})
    void a_malformed_verdict_gives_no_push(String reply) {
        assertThat(new LlmAffinityJudge(new ScriptedModel(reply)).judge(INPUT, AffinityState.INITIAL)).isEmpty();
    }

    @Test
    void the_schemas_are_valid_json_objects() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String schema : List.of(LlmMemoryExtractor.SCHEMA, LlmInsightExtractor.SCHEMA, LlmExchangeExtractor.SCHEMA)) {
            assertThat(json.readTree(schema).path("type").asText()).isEqualTo("object");
        }
        assertThat(json.readTree(LlmExchangeExtractor.SCHEMA).path("properties").path("memories").path("items")
                .path("required").toString()).contains("exchange");
    }

    @Test
    void one_call_extracts_the_memories_of_numbered_exchanges_and_the_insights_of_all() {
        ScriptedModel model = new ScriptedModel("""
                {"memories": [
                  {"exchange": 2, "layer": "profile", "category": "fact", "content": "The user lives in Ghent",
                   "importance": 6, "attributed_to": "user"},
                  {"exchange": 1, "layer": "relationship", "category": "nickname", "content": "Aria calls the user Bee",
                   "importance": 5, "attributed_to": "persona"},
                  {"exchange": 3, "layer": "profile", "category": "fact", "content": "There is no third exchange",
                   "importance": 5, "attributed_to": "user"}
                ],
                 "insights": {"city": "Ghent", "occupation": null, "interests": ["cycling"], "personality_traits": [],
                   "emotional_needs": null, "life_rhythm": null, "love_values": null, "mbti_guess": null}}""");
        Instant t = Instant.parse("2026-02-01T20:00:00Z");
        var batch = new io.erosengine.core.port.ExchangeExtractor.Batch(INPUT.persona(), List.of(PromptMessage.user("hey")), List.of(
                new io.erosengine.core.port.ExchangeExtractor.Exchange("Call me Bee", "Okay, Bee!", t),
                new io.erosengine.core.port.ExchangeExtractor.Exchange("I cycle around Ghent, where I live", "", t.plusSeconds(60))));

        var out = new LlmExchangeExtractor(model).extract(batch);

        assertThat(out.memories()).containsExactly(
                new io.erosengine.core.port.ExchangeExtractor.Found(1,
                        new MemoryCandidate(MemoryCategory.FACT, "The user lives in Ghent", 6, Attribution.USER)),
                new io.erosengine.core.port.ExchangeExtractor.Found(0,
                        new MemoryCandidate(MemoryCategory.NICKNAME, "Aria calls the user Bee", 5, Attribution.PERSONA)));
        assertThat(out.insights().city()).isEqualTo("Ghent");
        assertThat(out.insights().interests()).containsExactly("cycling");
        assertThat(model.requests).hasSize(1);
        ChatRequest sent = model.requests.get(0);
        assertThat(sent.task()).isEqualTo(ModelTask.MEMORY_EXTRACTION);
        assertThat(sent.responseJsonSchema()).isEqualTo(LlmExchangeExtractor.SCHEMA);
        assertThat(sent.messages().get(1).content())
                .contains("Exchange 1 (conversation time 2026-02-01T20:00:00Z):\nUser: Call me Bee\nAria: Okay, Bee!")
                .contains("Exchange 2 (conversation time 2026-02-01T20:01:00Z):\nUser: I cycle around Ghent, where I live\nAria: (no reply)")
                .contains("Earlier messages (context only):\nUser: hey");
    }
}
