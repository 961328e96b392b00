package io.erosengine.core.prompt;

import static io.erosengine.core.Fixtures.NOW;
import static io.erosengine.core.Fixtures.persona;
import static io.erosengine.core.prompt.PromptTestData.reply;
import static org.assertj.core.api.Assertions.assertThat;

import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.pde.ReplyStyle;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The open threads section: present only with open threads, after the shared memories, within its budget. */
class OpenThreadsPromptTest {
    private final PromptAssembler assembler = new PromptAssembler(PromptBudgets.DEFAULTS);

    private AssembledPrompt assemble(List<String> threads) {
        return assembler.assemble(new PromptInput(persona(), NOW, null, null, null, AffinityState.INITIAL,
                reply(ReplyStyle.WARM, List.of()), null, "hi", List.of(), threads));
    }

    @Test
    void without_open_threads_there_is_no_section() {
        assertThat(assemble(List.of(" ")).sections()).extracting(PromptSection::title)
                .doesNotContain(PromptAssembler.OPEN_THREADS).hasSize(8);
    }

    @Test
    void open_threads_are_a_section_after_the_shared_memories_one_line_each() {
        AssembledPrompt prompt = assemble(List.of("Job interview on Friday", "Will send\nthe playlist"));
        assertThat(prompt.sections()).extracting(PromptSection::title).containsExactly(PromptAssembler.IDENTITY,
                PromptAssembler.BACKGROUND, PromptAssembler.LOCAL_TIME, PromptAssembler.ABOUT_USER, PromptAssembler.SHARED,
                PromptAssembler.OPEN_THREADS, PromptAssembler.MOOD, PromptAssembler.THIS_TURN, PromptAssembler.RULES);
        assertThat(prompt.messages().get(0).content())
                .contains("### Open threads\n- Job interview on Friday\n- Will send the playlist\n\n### ");
    }

    @Test
    void open_threads_past_the_budget_drop_the_oldest() {
        List<String> threads = java.util.stream.IntStream.range(0, 60).mapToObj(i -> "thread number " + i + " of many").toList();
        PromptSection section = assemble(threads).sections().get(5);
        assertThat(section.truncated()).isTrue();
        assertThat(Tokens.estimate(section.text())).isLessThanOrEqualTo(PromptAssembler.OPEN_THREADS_TOKENS);
        assertThat(section.text()).startsWith("- thread number 0 of many").doesNotContain("thread number 59");
    }
}
