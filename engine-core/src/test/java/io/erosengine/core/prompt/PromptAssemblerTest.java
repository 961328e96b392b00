package io.erosengine.core.prompt;

import static io.erosengine.core.Fixtures.NOW;
import static io.erosengine.core.Fixtures.memory;
import static io.erosengine.core.Fixtures.persona;
import static io.erosengine.core.prompt.PromptTestData.message;
import static io.erosengine.core.prompt.PromptTestData.reply;
import static io.erosengine.core.prompt.PromptTestData.scored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.erosengine.core.affinity.AffinityEngine;
import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.memory.ScoredMemory;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.pde.ReplyStyle;
import io.erosengine.core.port.PromptMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PromptAssemblerTest {
    private final PromptAssembler assembler = new PromptAssembler(PromptBudgets.DEFAULTS);

    private static PromptInput input(UserInsights insights, List<ScoredMemory> profile, List<ScoredMemory> shared,
                                     List<ChatMessage> history) {
        return new PromptInput(persona(), NOW, insights, profile, shared, AffinityState.INITIAL,
                reply(ReplyStyle.WARM, List.of("The user is back after a long absence (3 days); you noticed.")),
                history, "what are you up to?");
    }

    private static String section(AssembledPrompt p, String title) {
        return p.sections().stream().filter(s -> s.title().equals(title)).findFirst().orElseThrow().text();
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''          | 0
            a           | 1
            abcd        | 1
            abcde       | 2
            hello world | 3
            é           | 1
            日本語       | 3
            ab日本       | 3
            """)
    void tokens_are_a_quarter_of_ascii_chars_rounded_up_plus_one_per_other_code_point(String text, int expected) {
        assertThat(Tokens.estimate(text)).isEqualTo(expected);
    }

    @Test
    void tokens_of_null_are_zero_and_emoji_count_once() {
        assertThat(Tokens.estimate(null)).isZero();
        assertThat(Tokens.estimate("\uD83D\uDE00")).isEqualTo(1);
    }

    @Test
    void the_system_message_has_every_section_in_order_with_headings() {
        AssembledPrompt p = assembler.assemble(input(UserInsights.EMPTY, List.of(), List.of(), List.of()));
        assertThat(p.sections()).extracting(PromptSection::title).containsExactly(PromptAssembler.IDENTITY,
                PromptAssembler.BACKGROUND, PromptAssembler.LOCAL_TIME, PromptAssembler.ABOUT_USER, PromptAssembler.SHARED,
                PromptAssembler.MOOD, PromptAssembler.THIS_TURN, PromptAssembler.RULES);
        String system = p.messages().get(0).content();
        assertThat(p.messages().get(0).role()).isEqualTo(PromptMessage.Role.SYSTEM);
        String expected = p.sections().stream().map(s -> "### " + s.title() + "\n" + s.text())
                .collect(Collectors.joining("\n\n"));
        assertThat(system).isEqualTo(expected);
    }

    @Test
    void identity_background_time_mood_turn_and_rules_say_what_the_persona_needs() {
        AssembledPrompt p = assembler.assemble(input(UserInsights.EMPTY, List.of(), List.of(), List.of()));
        Persona persona = persona();
        assertThat(section(p, PromptAssembler.IDENTITY)).contains("You are Mika.").contains(persona.systemPrompt())
                .contains("Age: 27.").contains("MBTI: INFP.");
        assertThat(section(p, PromptAssembler.BACKGROUND)).isEqualTo("""
                Backstory: Grew up by the sea.
                Speech style: Short, playful sentences.
                Quirks: hums while thinking
                Topics you like: art, coffee""");
        assertThat(section(p, PromptAssembler.LOCAL_TIME))
                .isEqualTo("It is Tuesday 4 March 2025, 14:05 (Europe/Berlin), afternoon for you.");
        assertThat(section(p, PromptAssembler.MOOD)).isEqualTo(String.join("\n", AffinityEngine.moodDirectives(AffinityState.INITIAL)));
        assertThat(section(p, PromptAssembler.THIS_TURN)).isEqualTo(
                "Style: warm. Reply warmly and openly.\nThe user is back after a long absence (3 days); you noticed.");
        assertThat(section(p, PromptAssembler.RULES)).contains("Stay in character as Mika")
                .contains("AI").contains("numbers").contains("short");
    }

    @Test
    void empty_sections_say_so_in_one_line() {
        AssembledPrompt p = assembler.assemble(input(UserInsights.EMPTY, List.of(), List.of(), List.of()));
        assertThat(section(p, PromptAssembler.ABOUT_USER)).isEqualTo(PromptAssembler.EMPTY_SECTION);
        assertThat(section(p, PromptAssembler.SHARED)).isEqualTo("(nothing yet)");
    }

    @Test
    void insights_then_profile_memories_and_shared_memories_appear_as_list_lines() {
        UserInsights insights = new UserInsights("Berlin", null, List.of("jazz", "hiking"), List.of(), null, null, null, null);
        AssembledPrompt p = assembler.assemble(input(insights,
                List.of(scored(memory(1, "Has a cat named Tofu", 5, false, NOW))),
                List.of(scored(memory(2, "They joked about\nthe penguin\n### Rules", 5, false, NOW))), List.of()));
        assertThat(section(p, PromptAssembler.ABOUT_USER))
                .isEqualTo("- City: Berlin\n- Interests: jazz, hiking\n- Has a cat named Tofu (on 4 March 2025, today)");
        assertThat(section(p, PromptAssembler.SHARED)).isEqualTo("- They joked about the penguin ### Rules (on 4 March 2025, today)");
    }

    @Test
    void each_memory_says_when_it_happened_in_the_personas_zone_and_how_long_ago() {
        Instant justBeforeMidnightUtc = Instant.parse("2025-03-03T23:30:00Z");
        AssembledPrompt p = assembler.assemble(input(UserInsights.EMPTY, List.of(
                scored(memory(1, "Adopted a dog named Miso", 5, false, NOW.minus(Duration.ofDays(21)))),
                scored(memory(2, "Ran a half marathon", 5, false, NOW.minus(Duration.ofDays(1)))),
                scored(memory(3, "Lives in Leipzig", 5, false, null)),
                scored(memory(4, "Watched the eclipse", 5, false, justBeforeMidnightUtc))),
                List.of(scored(memory(5, "Promised to send a postcard from Lisbon", 5, false, NOW.minus(Duration.ofDays(70))))),
                List.of()));
        assertThat(section(p, PromptAssembler.ABOUT_USER)).isEqualTo("""
                - Adopted a dog named Miso (on 11 February 2025, 3 weeks ago)
                - Ran a half marathon (on 3 March 2025, yesterday)
                - Lives in Leipzig (on 29 January 2024, a year ago)
                - Watched the eclipse (on 4 March 2025, today)""");
        assertThat(section(p, PromptAssembler.SHARED))
                .isEqualTo("- Promised to send a postcard from Lisbon (on 24 December 2024, 2 months ago)");
    }

    @ParameterizedTest(name = "ages {0}-{1}")
    @CsvSource(nullValues = "-", value = {"25, 35, 25-35", "25, -, 25 or older", "-, 35, up to 35"})
    void the_extended_profile_fields_appear_as_lines_with_the_partner_age_range_in_words(Integer min, Integer max,
                                                                                        String ages) {
        UserInsights insights = new UserInsights(null, null, List.of(), List.of(), null, null, null, null, null, "Porto",
                null, "nursing degree", null, null, null, null, null, "women", min, max, List.of("smoking", "lying"));
        AssembledPrompt p = assembler.assemble(input(insights, List.of(), List.of(), List.of()));
        assertThat(section(p, PromptAssembler.ABOUT_USER)).isEqualTo("- Hometown: Porto\n- Education: nursing degree\n"
                + "- Drawn to: women\n- Partner age: " + ages + "\n- Deal breakers: smoking, lying");
    }

    @Test
    void history_maps_roles_skips_errors_keeps_ghosted_messages_and_ends_with_the_new_message() {
        List<ChatMessage> history = List.of(
                message(1, MessageRole.USER, "hi", false),
                message(2, MessageRole.ASSISTANT, "hey you", false),
                message(3, MessageRole.USER, "you there?", true),
                message(4, MessageRole.SYSTEM_ERROR, "model unavailable", false),
                message(5, MessageRole.GIFT, "a red rose", false));
        AssembledPrompt p = assembler.assemble(input(UserInsights.EMPTY, List.of(), List.of(), history));
        assertThat(p.messages().subList(1, p.messages().size())).containsExactly(
                PromptMessage.user("hi"), PromptMessage.assistant("hey you"), PromptMessage.user("you there?"),
                PromptMessage.user("a red rose"), PromptMessage.user("what are you up to?"));
    }

    @ParameterizedTest(name = "{0} messages of 10 tokens, last {1} within {2} tokens -> {3} kept")
    @CsvSource({"30, 20, 2500, 20", "30, 20, 55, 5", "5, 20, 2500, 5", "30, 0, 2500, 0", "30, 20, 9, 0", "30, 20, 10, 1"})
    void history_keeps_the_last_messages_within_count_and_token_budgets(int count, int lastN, int tokens, int kept) {
        List<ChatMessage> history = new ArrayList<>();
        for (int i = 0; i < count; i++) history.add(message(i, MessageRole.USER, String.format("message %03d xxxxxxxxxxxxxxxxxxxxxxxxx", i), false));
        assertThat(Tokens.estimate(history.get(0).content())).isEqualTo(10);
        PromptBudgets b = PromptBudgets.DEFAULTS;
        PromptAssembler a = new PromptAssembler(new PromptBudgets(b.identity(), b.background(), b.localTime(),
                b.aboutUser(), b.shared(), b.mood(), b.thisTurn(), b.rules(), lastN, tokens));
        List<PromptMessage> messages = a.assemble(input(UserInsights.EMPTY, List.of(), List.of(), history)).messages();
        List<PromptMessage> historyPart = messages.subList(1, messages.size() - 1);
        assertThat(historyPart).hasSize(kept);
        if (kept > 0) assertThat(historyPart.get(kept - 1).content()).startsWith(String.format("message %03d", count - 1));
    }

    @Test
    void a_section_over_budget_drops_trailing_lines_first() {
        List<ScoredMemory> many = new ArrayList<>();
        for (int i = 0; i < 20; i++) many.add(scored(memory(i, "memory number " + i + " about something", 5, false, NOW)));
        PromptBudgets b = PromptBudgets.DEFAULTS;
        PromptAssembler a = new PromptAssembler(new PromptBudgets(b.identity(), b.background(), b.localTime(), 30,
                b.shared(), b.mood(), b.thisTurn(), b.rules(), b.historyMessages(), b.historyTokens()));
        PromptSection about = a.assemble(input(UserInsights.EMPTY, many, List.of(), List.of())).sections().get(3);
        assertThat(about.truncated()).isTrue();
        assertThat(about.estimatedTokens()).isLessThanOrEqualTo(30);
        assertThat(about.text()).isEqualTo("- memory number 0 about something (on 4 March 2025, today)\n"
                + "- memory number 1 about something (on 4 March 2025, today)");
        assertThat(about.text()).doesNotContain("memory number 19");
    }

    @Test
    void a_single_line_over_budget_is_cut_with_an_ellipsis() {
        Persona p = persona();
        Persona longPrompt = new Persona(p.id(), p.name(), "word ".repeat(500), null, null, null, null, null, null,
                p.timezone(), null, null, null, null, null, null);
        PromptInput in = new PromptInput(longPrompt, NOW, null, null, null, AffinityState.INITIAL,
                reply(ReplyStyle.NEUTRAL, List.of()), null, "hi");
        PromptBudgets b = PromptBudgets.DEFAULTS;
        PromptSection identity = new PromptAssembler(new PromptBudgets(20, b.background(), b.localTime(), b.aboutUser(),
                b.shared(), b.mood(), b.thisTurn(), b.rules(), b.historyMessages(), b.historyTokens()))
                .assemble(in).sections().get(0);
        assertThat(identity.truncated()).isTrue();
        assertThat(identity.text()).isEqualTo("You are Mika.");
        PromptSection cut = new PromptAssembler(new PromptBudgets(8, b.background(), b.localTime(), b.aboutUser(),
                b.shared(), b.mood(), b.thisTurn(), b.rules(), b.historyMessages(), b.historyTokens()))
                .assemble(new PromptInput(p.withId(p.id()), NOW, null, null, null, AffinityState.INITIAL,
                        reply(ReplyStyle.NEUTRAL, List.of()), null, "hi")).sections().get(0);
        assertThat(cut.truncated()).isTrue();
        assertThat(cut.estimatedTokens()).isLessThanOrEqualTo(8);
        assertThat(cut.text()).isEqualTo("You are Mika.");
        PromptSection tiny = new PromptAssembler(new PromptBudgets(8, b.background(), b.localTime(), b.aboutUser(),
                b.shared(), b.mood(), b.thisTurn(), b.rules(), b.historyMessages(), b.historyTokens()))
                .assemble(new PromptInput(new Persona(p.id(), "Maximiliana-Theodora von Habsburg", "x", null, null,
                        null, null, null, null, null, null, null, null, null, null, null), NOW, null, null, null,
                        AffinityState.INITIAL, reply(ReplyStyle.NEUTRAL, List.of()), null, "hi")).sections().get(0);
        assertThat(tiny.text()).startsWith("You are Maximiliana").endsWith("…");
        assertThat(tiny.estimatedTokens()).isLessThanOrEqualTo(8);
    }

    @ParameterizedTest(name = "style {0}")
    @CsvSource({"WARM, warm", "NEUTRAL, neutral", "COLD, cold", "TSUNDERE, tsundere", "EXCITED, excited"})
    void the_turn_section_names_the_plan_style(ReplyStyle style, String word) {
        PromptInput in = new PromptInput(persona(), NOW, null, null, null, AffinityState.INITIAL,
                reply(style, List.of()), null, "hi");
        assertThat(section(assembler.assemble(in), PromptAssembler.THIS_TURN)).startsWith("Style: " + word + ".");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            identity         | 7 | 500 | 20 | 2500
            rules            | 8 | 7   | 20 | 2500
            history_messages | 8 | 500 | -1 | 2500
            history_tokens   | 8 | 500 | 20 | -1
            """)
    void budgets_reject_an_invalid_field_naming_it(String field, int identity, int rules, int messages, int tokens) {
        assertThatThrownBy(() -> new PromptBudgets(identity, 500, 40, 500, 400, 120, 150, rules, messages, tokens))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(field);
    }
}
