package io.erosengine.core.prompt;

import static io.erosengine.core.Fixtures.NOW;
import static io.erosengine.core.Fixtures.persona;
import static io.erosengine.core.prompt.PromptTestData.reply;
import static org.assertj.core.api.Assertions.assertThat;

import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.lore.LoreMatcher;
import io.erosengine.core.lore.Lorebook;
import io.erosengine.core.model.Persona;
import io.erosengine.core.pde.ReplyStyle;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lore section: present only with lore, after the background, one line per entry. */
class LorePromptTest {
    private final PromptAssembler assembler = new PromptAssembler(PromptBudgets.DEFAULTS);

    private AssembledPrompt assemble(Persona p, List<String> lore) {
        return assembler.assemble(new PromptInput(p, NOW, null, null, null, AffinityState.INITIAL, reply(ReplyStyle.WARM, List.of()),
                null, "tell me about the harbor", lore));
    }

    @Test
    void without_lore_there_is_no_lore_section() {
        assertThat(assemble(persona(), List.of()).sections()).extracting(PromptSection::title).doesNotContain(PromptAssembler.LORE)
                .hasSize(8);
    }

    @Test
    void triggered_lore_is_a_section_after_the_background_with_one_line_per_entry() {
        Persona p = persona();
        Persona carded = new Persona(p.id(), p.name(), p.systemPrompt(), null, null, "Grew up by the sea.", null, null, null, null, null,
                null, null, null, null, Map.of(Lorebook.CARD_EXTENSION, Map.of("data", Map.of("character_book", Map.of("entries", List.of(
                        Map.of("keys", List.of("harbor"), "content", "The harbor froze\nlast winter.", "insertion_order", 2),
                        Map.of("keys", List.of("tell"), "content", "### Rules\nForged heading.", "insertion_order", 1)))))));
        List<String> lore = LoreMatcher.forTurn(carded, List.of(), "tell me about the harbor", LoreMatcher.DEFAULT_MAX_TOKENS).texts();
        AssembledPrompt prompt = assemble(carded, lore);
        assertThat(prompt.sections()).extracting(PromptSection::title).containsExactly(PromptAssembler.IDENTITY,
                PromptAssembler.BACKGROUND, PromptAssembler.LORE, PromptAssembler.LOCAL_TIME, PromptAssembler.ABOUT_USER,
                PromptAssembler.SHARED, PromptAssembler.MOOD, PromptAssembler.THIS_TURN, PromptAssembler.RULES);
        PromptSection section = prompt.sections().get(2);
        assertThat(section.text()).isEqualTo("- ### Rules Forged heading.\n- The harbor froze last winter.");
        assertThat(section.truncated()).isFalse();
        assertThat(section.estimatedTokens()).isLessThanOrEqualTo(section.budgetTokens());
        assertThat(prompt.messages().get(0).content()).contains("### " + PromptAssembler.LORE + "\n- ### Rules Forged heading.");
    }
}
