package io.erosengine.core.prompt;

import static io.erosengine.core.Fixtures.NOW;
import static io.erosengine.core.Fixtures.memory;
import static io.erosengine.core.Fixtures.persona;
import static io.erosengine.core.prompt.PromptTestData.message;
import static io.erosengine.core.prompt.PromptTestData.reply;
import static io.erosengine.core.prompt.PromptTestData.scored;
import static org.assertj.core.api.Assertions.assertThat;

import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.memory.ScoredMemory;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.pde.ReplyStyle;
import io.erosengine.core.port.PromptMessage;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import io.erosengine.core.text.TextPolicy;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PromptInvariantsTest {

    @Property(tries = 300)
    void every_section_stays_within_its_budget_for_arbitrary_inputs(
            @ForAll("budgets") PromptBudgets budgets, @ForAll("personas") Persona persona,
            @ForAll("texts") List<String> memoryTexts, @ForAll("texts") List<String> sharedTexts,
            @ForAll("texts") List<String> hints, @ForAll("history") List<ChatMessage> history,
            @ForAll("insights") UserInsights insights, @ForAll ReplyStyle style) {
        List<ScoredMemory> profile = new ArrayList<>();
        for (int i = 0; i < memoryTexts.size(); i++) profile.add(scored(memory(i, memoryTexts.get(i), 5, false, NOW)));
        List<ScoredMemory> shared = new ArrayList<>();
        for (int i = 0; i < sharedTexts.size(); i++) shared.add(scored(memory(100 + i, sharedTexts.get(i), 5, false, NOW)));
        PromptInput input = new PromptInput(persona, NOW, insights, profile, shared, AffinityState.INITIAL,
                reply(style, hints), history, "the new message");

        AssembledPrompt prompt = new PromptAssembler(budgets).assemble(input);

        assertThat(prompt.sections()).hasSize(8).allSatisfy(s -> {
            assertThat(s.estimatedTokens()).isEqualTo(Tokens.estimate(s.text()));
            assertThat(s.estimatedTokens()).isLessThanOrEqualTo(s.budgetTokens());
            assertThat(s.text()).isNotEmpty();
        });
        List<PromptMessage> messages = prompt.messages();
        assertThat(messages.get(messages.size() - 1)).isEqualTo(PromptMessage.user("the new message"));
        List<PromptMessage> historyPart = messages.subList(1, messages.size() - 1);
        assertThat(historyPart.size()).isLessThanOrEqualTo(budgets.historyMessages());
        assertThat(historyPart.stream().mapToInt(m -> Tokens.estimate(m.content())).sum())
                .isLessThanOrEqualTo(budgets.historyTokens());
        assertThat(new PromptAssembler(budgets).assemble(input)).isEqualTo(prompt);
    }

    @Provide
    Arbitrary<PromptBudgets> budgets() {
        Arbitrary<Integer> b = Arbitraries.integers().between(PromptBudgets.MIN_SECTION_TOKENS, 300);
        Arbitrary<Integer> n = Arbitraries.integers().between(0, 30);
        Arbitrary<Integer> t = Arbitraries.integers().between(0, 600);
        return Combinators.combine(List.of(b, b, b, b, b, b, b, b, n, t))
                .as(v -> new PromptBudgets(v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), v.get(5), v.get(6),
                        v.get(7), v.get(8), v.get(9)));
    }

    @Provide
    Arbitrary<List<String>> texts() {
        return Arbitraries.strings().ofMaxLength(300).list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<Persona> personas() {
        // persona fields pass the text policy: no NUL or lone surrogate, names visible, within the limits
        net.jqwik.api.arbitraries.StringArbitrary storable = Arbitraries.strings().withCharRange(' ', '\uD7FF');
        Arbitrary<String> nonBlank = storable.ofMinLength(1).ofMaxLength(100).filter(s -> !TextPolicy.isBlankToReader(s));
        Arbitrary<String> any = storable.ofMaxLength(1000).injectNull(0.2);
        Arbitrary<List<String>> items = storable.ofMinLength(1).ofMaxLength(300).filter(s -> !TextPolicy.isBlankToReader(s))
                .list().ofMaxSize(12);
        Persona base = persona();
        return Combinators.combine(nonBlank, nonBlank, any, any, items, Arbitraries.of(ZoneId.getAvailableZoneIds()))
                .as((name, prompt, backstory, style, quirks, zone) -> new Persona(base.id(), name, prompt, 30, "ENFP",
                        backstory, style, quirks, quirks, ZoneId.of(zone), null, null, null, null, null, null));
    }

    @Provide
    Arbitrary<UserInsights> insights() {
        Arbitrary<String> s = Arbitraries.strings().ofMaxLength(200).injectNull(0.3);
        return Combinators.combine(s, s, texts(), texts(), s, s, s, s).as(UserInsights::new);
    }

    @Provide
    Arbitrary<List<ChatMessage>> history() {
        return Combinators.combine(Arbitraries.of(MessageRole.class), Arbitraries.strings().ofMaxLength(400),
                Arbitraries.of(true, false)).as((role, text, ghosted) -> new Object[] {role, text, ghosted})
                .list().ofMaxSize(40).map(rows -> {
                    List<ChatMessage> out = new ArrayList<>();
                    for (int i = 0; i < rows.size(); i++) {
                        Object[] r = rows.get(i);
                        out.add(message(i, (MessageRole) r[0], (String) r[1], (Boolean) r[2]));
                    }
                    return out;
                });
    }
}
