package io.erosengine.llm.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.erosengine.core.port.ChatRequest;
import io.erosengine.core.port.ChatResponse;
import io.erosengine.core.port.ModelException;
import io.erosengine.core.port.ModelTask;
import io.erosengine.core.port.PromptMessage;
import io.erosengine.core.prompt.PromptAssembler;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OfflineChatModelTest {
    private final OfflineChatModel model = new OfflineChatModel(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    private static String system(List<String> aboutUser, List<String> shared, String thisTurn) {
        return section(PromptAssembler.IDENTITY, List.of("You are Aria, a playful artist."))
                + section(PromptAssembler.BACKGROUND, List.of("Grew up by the sea."))
                + section(PromptAssembler.LOCAL_TIME, List.of("Friday 21:40"))
                + section(PromptAssembler.ABOUT_USER, aboutUser.stream().map(m -> "- " + m).toList())
                + section(PromptAssembler.SHARED, shared.stream().map(m -> "- " + m).toList())
                + section(PromptAssembler.MOOD, List.of("You feel close to the user."))
                + section(PromptAssembler.THIS_TURN, List.of(thisTurn))
                + section(PromptAssembler.RULES, List.of("Stay in character. Reply in 1-3 sentences."));
    }

    private static String section(String title, List<String> lines) {
        return "### " + title + "\n" + (lines.isEmpty() ? PromptAssembler.EMPTY_SECTION : String.join("\n", lines)) + "\n\n";
    }

    private static ChatRequest request(String system, String userMessage) {
        return ChatRequest.of(ModelTask.CHAT_COMPANION, List.of(PromptMessage.system(system),
                PromptMessage.user("earlier message"), PromptMessage.assistant("earlier reply"), PromptMessage.user(userMessage)));
    }

    @Test
    void the_reply_names_the_most_relevant_memory_answers_the_message_and_says_it_is_offline() {
        String system = system(List.of("The user works as a nurse in Lisbon", "The user's dog is called Biscuit"),
                List.of("You and the user joked about pineapple pizza"), "Style: warm. Ask a follow-up question.");
        ChatResponse r = model.complete(request(system, "Do you remember my dog's name?"));

        assertThat(r.content()).contains("The user's dog is called Biscuit");
        assertThat(r.content()).doesNotContain("nurse");
        assertThat(r.content()).contains("Do you remember my dog's name?");
        assertThat(r.content()).containsIgnoringCase("offline");
        assertThat(r.content()).startsWith("Aww");
        assertThat(r.offline()).isTrue();
        assertThat(r.model()).isEqualTo("offline-companion");
    }

    @Test
    void a_shared_memory_is_recalled_as_something_the_two_share() {
        String system = system(List.of("The user works as a nurse"), List.of("You and the user joked about pineapple pizza"),
                "Style: neutral.");
        assertThat(model.complete(request(system, "Should we order pineapple pizza again?")).content())
                .contains("about us: \"You and the user joked about pineapple pizza\"");
    }

    @Test
    void a_dated_memory_line_is_quoted_without_its_date_and_says_how_long_ago() {
        String system = system(List.of("The user's dog is called Biscuit (on 8 May 2023, 3 weeks ago)"), List.of(), "Style: neutral.");
        assertThat(model.complete(request(system, "Do you remember my dog's name?")).content())
                .contains("I remember this about you from 3 weeks ago: \"The user's dog is called Biscuit\"");
    }

    @Test
    void with_no_memories_it_asks_to_learn_more() {
        String reply = model.complete(request(system(List.of(), List.of(), "Style: neutral."), "hi")).content();
        assertThat(reply).contains("don't know much about you yet").doesNotContain(PromptAssembler.EMPTY_SECTION);
    }

    @ParameterizedTest(name = "style {0}")
    @CsvSource({"warm, Aww", "excited, Oh wow", "cold, Hm.", "tsundere, W-well", "neutral, I hear you", "whatever, I hear you"})
    void the_opening_follows_the_style_of_this_turn(String style, String opening) {
        String reply = model.complete(request(system(List.of(), List.of(), "Reply style: " + style + "."), "hello")).content();
        assertThat(reply).startsWith(opening);
    }

    @Test
    void the_same_request_gets_the_same_reply_and_streaming_delivers_it_word_by_word() {
        ChatRequest req = request(system(List.of("The user loves jazz"), List.of(), "Style: excited."), "Any music tips?");
        List<String> deltas = new ArrayList<>();
        ChatResponse streamed = model.stream(req, deltas::add);
        assertThat(streamed.content()).isEqualTo(model.complete(req).content());
        assertThat(String.join("", deltas)).isEqualTo(streamed.content());
        assertThat(deltas).hasSizeGreaterThan(10).allSatisfy(d -> assertThat(d.strip()).doesNotContain(" "));
    }

    @Test
    void json_tasks_are_refused_rather_than_faked() {
        ModelException.BadRequest e = catchThrowableOfType(ModelException.BadRequest.class, () -> model.complete(
                new ChatRequest(ModelTask.MEMORY_EXTRACTION, List.of(PromptMessage.user("x")), null, "{\"type\":\"object\"}", null)));
        assertThat(e.providerCode()).isEqualTo("offline_json_unsupported");
        assertThat(e.model()).isEqualTo("offline-companion");
    }
}
