package io.erosengine.core.model;

import static io.erosengine.core.Fixtures.INSTANCE;
import static io.erosengine.core.Fixtures.NOW;
import static io.erosengine.core.Fixtures.USER;
import static io.erosengine.core.Fixtures.persona;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.erosengine.core.memory.Attribution;
import io.erosengine.core.memory.MemoryCandidate;
import io.erosengine.core.memory.MemoryCategory;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.memory.NewMemory;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModelRecordsTest {

    @Test
    void insights_merge_replaces_scalars_with_new_non_blank_values_and_unions_lists() {
        UserInsights old = new UserInsights("Berlin", "nurse", List.of("jazz", "Hiking"), List.of("shy"), "reassurance",
                null, null, "INFP");
        UserInsights newer = new UserInsights("Hamburg", "  ", List.of("hiking", "cooking", " "), List.of(), null,
                "night owl", null, "");
        UserInsights merged = old.merge(newer);
        assertThat(merged).isEqualTo(new UserInsights("Hamburg", "nurse", List.of("jazz", "Hiking", "cooking"),
                List.of("shy"), "reassurance", "night owl", null, "INFP"));
        assertThat(UserInsights.EMPTY.merge(UserInsights.EMPTY)).isEqualTo(UserInsights.EMPTY);
        assertThat(old.merge(UserInsights.EMPTY)).isEqualTo(old);
    }

    @Test
    void the_extended_profile_fields_merge_like_the_first_eight_and_the_age_range_moves_as_a_pair() {
        UserInsights old = new UserInsights(null, null, List.of(), List.of(), null, null, null, null, "Algarve", "Porto",
                null, "nursing degree", null, null, null, null, null, "women", 25, 35, List.of("smoking"));
        UserInsights newer = new UserInsights(null, null, List.of(), List.of(), null, null, null, null, " ", null,
                "Portuguese", null, null, null, null, null, null, null, 30, null, List.of("Smoking", "rudeness"));
        assertThat(old.merge(newer)).isEqualTo(new UserInsights(null, null, List.of(), List.of(), null, null, null, null,
                "Algarve", "Porto", "Portuguese", "nursing degree", null, null, null, null, null, "women", 30, null,
                List.of("smoking", "rudeness")));
        assertThat(old.merge(UserInsights.EMPTY)).isEqualTo(old);
    }

    @ParameterizedTest
    @CsvSource({"-1, 30", "20, 151", "40, 30"})
    void an_age_range_outside_0_to_150_or_inverted_is_rejected(int min, int max) {
        assertThatThrownBy(() -> new UserInsights(null, null, List.of(), List.of(), null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, min, max, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void channels_parse_their_wire_names_and_an_unknown_one_is_named_in_the_error() {
        assertThat(Channel.parse("text")).isEqualTo(Channel.TEXT);
        assertThat(Channel.parse("voice")).isEqualTo(Channel.VOICE);
        assertThatThrownBy(() -> Channel.parse("video")).hasMessage("invalid channel: video");
    }

    @Test
    void insights_know_when_they_are_empty() {
        assertThat(UserInsights.EMPTY.isEmpty()).isTrue();
        assertThat(new UserInsights(" ", null, List.of(" "), null, null, null, null, null).isEmpty()).isTrue();
        assertThat(new UserInsights(null, null, List.of("chess"), null, null, null, null, null).isEmpty()).isFalse();
    }

    @Test
    void persona_requires_a_name_and_a_system_prompt_and_fills_defaults() {
        Persona p = persona();
        Persona bare = new Persona(p.id(), "Ana", "You are Ana.", null, null, null, null, null, null, null, null, null,
                null, null, " ", null);
        assertThat(bare.timezone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(bare.language()).isEqualTo("en");
        assertThat(bare.giftPersonality()).isEqualTo(GiftPersonality.WARM);
        assertThat(bare.quirks()).isEmpty();
        assertThat(bare.extensions()).isEqualTo(Map.of());
        assertThat(bare.chatModelOverride()).isEmpty();
        assertThatThrownBy(() -> new Persona(p.id(), " ", "x", null, null, null, null, null, null, null, null, null,
                null, null, null, null)).hasMessageContaining("persona name");
        assertThatThrownBy(() -> new Persona(p.id(), "Ana", "", null, null, null, null, null, null, null, null, null,
                null, null, null, null)).hasMessageContaining("system_prompt");
        assertThatThrownBy(() -> new Persona(p.id(), "Ana", "x", -1, null, null, null, null, null, null, null, null,
                null, null, null, null)).hasMessageContaining("age");
    }

    @ParameterizedTest(name = "\"{0}\" is not a UUID")
    @ValueSource(strings = {"", "abc", "00000000-0000-0000-0000-00000000000", "'; drop table users; --"})
    void ids_reject_text_that_is_not_a_uuid(String text) {
        assertThatThrownBy(() -> UserId.parse(text)).hasMessageContaining("user id must be a UUID");
        assertThatThrownBy(() -> SessionId.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void gift_personality_parses_wire_names() {
        assertThat(GiftPersonality.parse(" Gold_Digger ")).isEqualTo(GiftPersonality.GOLD_DIGGER);
        assertThatThrownBy(() -> GiftPersonality.parse("greedy")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GiftPersonality.parse(null)).hasMessageContaining("gift_personality");
    }

    @Test
    void memory_records_reject_bad_values_and_wrong_layers() {
        assertThatThrownBy(() -> new MemoryCandidate(MemoryCategory.FACT, " ", 5, Attribution.USER)).hasMessageContaining("content");
        assertThatThrownBy(() -> new MemoryCandidate(MemoryCategory.FACT, "x", 11, Attribution.USER)).hasMessageContaining("importance");
        assertThatThrownBy(() -> new MemoryItem(MemoryId.random(), USER, INSTANCE, null, List.of(), "x", MemoryCategory.FACT,
                5, Attribution.USER, "m", NOW, NOW, NOW, null, 0, 1, false, null)).hasMessageContaining("layer");
        MemoryCandidate shared = new MemoryCandidate(MemoryCategory.IN_JOKE, "the penguin", 6, Attribution.PERSONA);
        assertThatThrownBy(() -> new NewMemory(MemoryScope.profile(USER), null, List.of(), shared, NOW, new float[] {1f}, "m"))
                .hasMessageContaining("relationship layer");
        assertThat(MemoryCategory.parse(" in_joke ")).isEqualTo(MemoryCategory.IN_JOKE);
    }

    @Test
    void chat_message_and_token_usage_reject_missing_or_negative_values() {
        assertThatThrownBy(() -> new ChatMessage(MessageId.random(), SessionId.random(), USER, MessageRole.USER, null, NOW,
                null, null, false, false, null, null, null, true)).hasMessageContaining("content");
        assertThatThrownBy(() -> new TokenUsage(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new TokenUsage(3, 4).totalTokens()).isEqualTo(7);
    }
}
