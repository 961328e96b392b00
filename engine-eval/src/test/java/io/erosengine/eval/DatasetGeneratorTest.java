package io.erosengine.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.erosengine.core.time.TimeExpressions;
import io.erosengine.eval.Dataset.Category;
import io.erosengine.eval.Dataset.Conversation;
import io.erosengine.eval.Dataset.Question;
import io.erosengine.eval.Dataset.Speaker;
import io.erosengine.eval.Dataset.Turn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DatasetGeneratorTest {
    static final Path SHIPPED = Path.of(System.getProperty("eval.dir", "../eval"), DatasetGenerator.NAME + ".json");
    private static final Dataset DATA = DatasetGenerator.generate(DatasetGenerator.SEED);

    @Test
    void the_shipped_file_is_exactly_what_the_generator_writes_and_stays_under_2_mb() throws IOException {
        String shipped = Files.readString(SHIPPED);
        assertThat(shipped).isEqualTo(DatasetJson.write(DATA));
        assertThat(Files.size(SHIPPED)).isLessThan(2L * 1024 * 1024);
        assertThat(DatasetJson.parse(shipped)).isEqualTo(DATA);
    }

    @Test
    void there_are_twelve_multi_session_conversations_spanning_months_with_360_questions_in_four_categories() {
        assertThat(DATA.conversations()).hasSize(12);
        for (Conversation c : DATA.conversations()) {
            assertThat(c.sessions()).hasSize(DatasetGenerator.SESSIONS);
            Duration span = Duration.between(c.turns().get(0).at(), c.turns().get(c.turns().size() - 1).at());
            assertThat(span).isGreaterThan(Duration.ofDays(120));
            assertThat(c.questions()).hasSize(DatasetGenerator.QUESTIONS_PER_USER);
        }
        Map<Category, Long> byCategory = DATA.questions().stream().collect(Collectors.groupingBy(Question::category, Collectors.counting()));
        assertThat(byCategory).containsEntry(Category.SINGLE_HOP, 120L).containsEntry(Category.MULTI_HOP, 48L)
                .containsEntry(Category.TEMPORAL, 132L).containsEntry(Category.PREFERENCE, 60L);
        assertThat(DATA.questions().stream().filter(q -> q.category() == Category.MULTI_HOP))
                .allSatisfy(q -> assertThat(q.evidence()).hasSizeGreaterThanOrEqualTo(2));
    }

    @Test
    void evidence_is_always_something_the_user_said_before_the_question_was_asked() {
        for (Conversation c : DATA.conversations()) {
            Map<String, Turn> turns = c.turns().stream().collect(Collectors.toMap(Turn::id, Function.identity()));
            for (Question q : c.questions()) {
                for (String id : q.evidence()) {
                    assertThat(turns.get(id).speaker()).isEqualTo(Speaker.USER);
                    assertThat(turns.get(id).at()).isBefore(q.askedAt());
                }
            }
        }
    }

    @Test
    void a_question_with_a_relative_date_points_at_its_evidence_from_the_moment_it_is_asked() {
        int relative = 0;
        for (Conversation c : DATA.conversations()) {
            Map<String, Turn> turns = c.turns().stream().collect(Collectors.toMap(Turn::id, Function.identity()));
            for (Question q : c.questions()) {
                var window = TimeExpressions.parse(q.question(), q.askedAt(), c.timezone()).window();
                if (window.isEmpty()) continue;
                relative++;
                for (String id : q.evidence()) assertThat(window.get().range().contains(turns.get(id).at())).as(q.question()).isTrue();
            }
        }
        assertThat(relative).isGreaterThanOrEqualTo(12 * 6);
    }

    @Test
    void another_seed_gives_other_conversations() {
        assertThat(DatasetGenerator.generate(1).conversations().get(0).turns().get(2).text())
                .isNotEqualTo(DATA.conversations().get(0).turns().get(2).text());
    }
}
