package io.erosengine.server.persona;

import static io.erosengine.server.persona.CardFixtures.b64;
import static io.erosengine.server.persona.CardFixtures.chunk;
import static io.erosengine.server.persona.CardFixtures.concat;
import static io.erosengine.server.persona.CardFixtures.itext;
import static io.erosengine.server.persona.CardFixtures.png;
import static io.erosengine.server.persona.CardFixtures.resource;
import static io.erosengine.server.persona.CardFixtures.text;
import static io.erosengine.server.persona.CardFixtures.ztext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.erosengine.core.lore.LoreMatcher;
import io.erosengine.core.lore.Lorebook;
import io.erosengine.core.model.GiftPersonality;
import io.erosengine.core.model.Persona;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CharacterCardsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] ARIA = resource("aria-v3.json");
    private static final byte[] KAEL = resource("kael-v2.json");

    private static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static Map<?, ?> cardData(Persona p) {
        return (Map<?, ?>) ((Map<?, ?>) p.extensions().get(Lorebook.CARD_EXTENSION)).get("data");
    }

    /** The Aria fixture with {@code data.<field>} replaced by the JSON {@code value}. */
    private static byte[] ariaWith(String field, String value) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(ARIA);
        ((ObjectNode) root.get("data")).set(field, JSON.readTree(value));
        return JSON.writeValueAsBytes(root);
    }

    @Test
    void a_v3_json_card_maps_to_a_persona_with_the_name_and_placeholders_resolved() {
        ImportedCard card = CharacterCards.fromJson(ARIA);
        Persona p = card.persona();
        assertThat(card.spec()).isEqualTo("chara_card_v3");
        assertThat(card.warnings()).isEmpty();
        assertThat(p.id()).isEqualTo(PersonaFiles.idForName("Aria"));
        assertThat(p.name()).isEqualTo("Aria");
        assertThat(p.systemPrompt()).isEqualTo("Never break the storm's mood.\nPersonality: curious, dry humour, loyal\n"
                + "Scenario: {{user}} washes up on Ari's island after a storm.");
        assertThat(p.backstory()).isEqualTo("Ari is a lighthouse keeper on a storm-beaten island. She writes letters in 日本語 and "
                + "signs them with 🌊. مرحبا!");
        assertThat(p.greeting()).isEqualTo("Easy there, {{user}}. I'm Ari. You were out cold.");
        assertThat(p.timezone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(p.giftPersonality()).isEqualTo(GiftPersonality.WARM);
    }

    @Test
    void every_card_field_the_persona_has_no_place_for_is_kept_in_the_card_extension() {
        Map<?, ?> data = cardData(CharacterCards.fromJson(ARIA).persona());
        assertThat(data.get("alternate_greetings")).isEqualTo(List.of("The lamp is lit. Who's there?", "Another storm, another guest."));
        assertThat(data.get("mes_example")).isEqualTo("<START>\n{{user}}: Where am I?\n{{char}}: Somewhere the ferries forgot.");
        assertThat(data.get("post_history_instructions")).isEqualTo("Keep {{char}}'s replies under four sentences.");
        assertThat(data.get("tags")).isEqualTo(List.of("fantasy", "slow burn", "☂"));
        assertThat(data.get("creator_notes")).isEqualTo("Best with slow, atmospheric chats.");
        assertThat(data.get("creator")).isEqualTo("tester");
        assertThat(data.get("character_version")).isEqualTo("1.2");
        assertThat(data.get("nickname")).isEqualTo("Ari");
        assertThat(data.get("creation_date")).isEqualTo(1719400000);
        assertThat(data.get("creator_notes_multilingual")).isEqualTo(Map.of("fr", "Idéal pour des discussions lentes."));
        assertThat(data.get("extensions")).isEqualTo(Map.of("depth_prompt", Map.of("prompt", "Smell of salt.", "depth", 4),
                "talkativeness", "0.5", "fav", false));
        assertThat(data.get("group_only_greetings")).isEqualTo(List.of());
    }

    @Test
    void the_character_book_is_stored_with_the_persona_and_triggers_on_recent_messages() {
        Persona p = CharacterCards.fromJson(ARIA).persona();
        Lorebook book = Lorebook.of(p).orElseThrow();
        assertThat(book.name()).isEqualTo("The Island");
        assertThat(book.scanDepth()).isEqualTo(3);
        assertThat(book.tokenBudget()).isEqualTo(200);
        assertThat(LoreMatcher.select(book, List.of("Is that a LIGHTHOUSE?"), 500).texts())
                .containsExactly("The island is called Rookholm.", "The lighthouse lamp has not failed in forty years.");
        assertThat(LoreMatcher.select(book, List.of("Is there a Ferry timetable?"), 500).texts())
                .containsExactly("The island is called Rookholm.", "The ferry comes on Sundays.");
        assertThat(LoreMatcher.select(book, List.of("is there a ferry timetable?"), 500).texts())
                .containsExactly("The island is called Rookholm.");
    }

    @Test
    void a_v2_json_card_reads_data_not_the_top_level_mirror() {
        ImportedCard card = CharacterCards.fromJson(KAEL);
        assertThat(card.spec()).isEqualTo("chara_card_v2");
        Persona p = card.persona();
        assertThat(p.name()).isEqualTo("Kael");
        assertThat(p.systemPrompt()).isEqualTo("Personality: gruff but kind");
        assertThat(p.backstory()).isEqualTo("Kael is a blacksmith who hums while working.");
        assertThat(p.greeting()).isEqualTo("*wipes soot off his hands* Need something forged?");
        assertThat(Lorebook.of(p)).isEmpty();
    }

    @Test
    void a_card_with_empty_prompt_fields_gets_a_one_line_system_prompt() throws Exception {
        byte[] bare = utf8("{\"spec\": \"chara_card_v2\", \"spec_version\": \"2.0\", \"data\": {\"name\": \"Nell\"}}");
        Persona p = CharacterCards.fromJson(bare).persona();
        assertThat(p.systemPrompt()).isEqualTo("Play Nell as described in your background.");
        assertThat(p.backstory()).isNull();
        assertThat(p.greeting()).isNull();
    }

    @Test
    void a_png_with_both_chunks_imports_ccv3_even_when_chara_comes_first() {
        byte[] file = png(text("chara", b64(KAEL)), text("ccv3", b64(ARIA)));
        ImportedCard card = CharacterCards.fromPng(file);
        assertThat(card.persona().name()).isEqualTo("Aria");
        assertThat(card.persona()).isEqualTo(CharacterCards.fromJson(ARIA).persona());
    }

    @Test
    void a_png_keyword_matches_in_any_case_and_the_first_chunk_wins() {
        ImportedCard card = CharacterCards.read(png(text("Chara", b64(KAEL)), text("chara", b64(ARIA))));
        assertThat(card.persona().name()).isEqualTo("Kael");
    }

    @Test
    void ztxt_and_itxt_chunks_carry_cards_too() {
        assertThat(CharacterCards.fromPng(png(ztext("ccv3", utf8(b64(ARIA))))).persona().name()).isEqualTo("Aria");
        assertThat(CharacterCards.fromPng(png(itext("chara", b64(KAEL), false))).persona().name()).isEqualTo("Kael");
        assertThat(CharacterCards.fromPng(png(itext("ccv3", b64(ARIA), true))).persona().name()).isEqualTo("Aria");
    }

    @Test
    void wrapped_url_safe_and_unpadded_base64_is_read() {
        String wrapped = b64(KAEL).replaceAll("(.{76})", "$1\r\n");
        assertThat(CharacterCards.fromPng(png(text("chara", wrapped))).persona().name()).isEqualTo("Kael");
        String urlSafe = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(ARIA);
        assertThat(CharacterCards.fromPng(png(text("ccv3", urlSafe))).persona().name()).isEqualTo("Aria");
    }

    @Test
    void a_broken_ccv3_chunk_falls_back_to_chara_with_a_warning() {
        ImportedCard card = CharacterCards.fromPng(png(text("ccv3", "%%%not base64%%%"), text("chara", b64(KAEL))));
        assertThat(card.persona().name()).isEqualTo("Kael");
        assertThat(card.warnings()).containsExactly("the ccv3 chunk is unusable (the ccv3 chunk is not valid base64); the chara chunk was imported");
    }

    @Test
    void a_newer_v3_minor_version_imports_with_a_warning() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(ARIA);
        root.put("spec_version", "3.1");
        ImportedCard card = CharacterCards.fromJson(JSON.writeValueAsBytes(root));
        assertThat(card.persona().name()).isEqualTo("Aria");
        assertThat(card.warnings()).containsExactly("spec_version 3.1 is newer than 3.0; fields this engine does not know are kept");
    }

    @Test
    void a_utf8_bom_and_emoji_cjk_and_rtl_names_are_kept() {
        byte[] withBom = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                utf8("{\"spec\":\"chara_card_v3\",\"spec_version\":3.0,\"data\":{\"name\":\"  星月 🌙 ليلى  \",\"first_mes\":\"\u3053\u3093\u3070\u3093\u306f\"}}"));
        Persona p = CharacterCards.fromJson(withBom).persona();
        assertThat(p.name()).isEqualTo("星月 🌙 ليلى");
        assertThat(p.greeting()).isEqualTo("こんばんは");
        assertThat(p.id()).isEqualTo(PersonaFiles.idForName("星月 🌙 ليلى"));
    }

    // ---- export ----

    @Test
    void export_then_import_gives_the_same_persona_for_an_imported_card() {
        Persona aria = CharacterCards.fromJson(ARIA).persona();
        assertThat(CharacterCards.fromJson(CharacterCards.toJson(aria)).persona()).isEqualTo(aria);
        assertThat(CharacterCards.fromPng(CharacterCards.toPng(aria)).persona()).isEqualTo(aria);
        Persona kael = CharacterCards.fromJson(KAEL).persona();
        assertThat(CharacterCards.fromJson(CharacterCards.toJson(kael)).persona()).isEqualTo(kael);
    }

    @Test
    void export_then_import_gives_the_same_persona_for_a_persona_file() {
        Persona mira = PersonaFiles.loadFile(Path.of("..", "personas", "mira.json"));
        Persona back = CharacterCards.fromJson(CharacterCards.toJson(mira)).persona();
        Map<String, Object> ownExtensions = new LinkedHashMap<>(back.extensions());
        assertThat(ownExtensions.remove(Lorebook.CARD_EXTENSION)).isNotNull();
        assertThat(new Persona(back.id(), back.name(), back.systemPrompt(), back.age(), back.mbti(), back.backstory(), back.speechStyle(),
                back.quirks(), back.topics(), back.timezone(), back.language(), back.giftPersonality(), back.greeting(), back.avatarUrl(),
                back.modelOverride(), ownExtensions)).isEqualTo(mira);
        assertThat(CharacterCards.fromPng(CharacterCards.toPng(back)).persona()).isEqualTo(back);
    }

    @Test
    void an_exported_card_is_a_v3_card_with_the_persona_fields_and_the_engine_extension() throws Exception {
        Persona mira = PersonaFiles.loadFile(Path.of("..", "personas", "mira.json"));
        JsonNode card = JSON.readTree(CharacterCards.toJson(mira));
        assertThat(card.get("spec").asText()).isEqualTo("chara_card_v3");
        assertThat(card.get("spec_version").asText()).isEqualTo("3.0");
        JsonNode data = card.get("data");
        assertThat(data.get("name").asText()).isEqualTo(mira.name());
        assertThat(data.get("system_prompt").asText()).isEqualTo(mira.systemPrompt());
        assertThat(data.get("description").asText()).isEqualTo(mira.backstory());
        assertThat(data.get("first_mes").asText()).isEqualTo(mira.greeting());
        assertThat(data.get("group_only_greetings").isArray()).isTrue();
        JsonNode eros = data.get("extensions").get(CharacterCards.EROS_EXTENSION);
        assertThat(eros.get("timezone").asText()).isEqualTo(mira.timezone().getId());
        assertThat(eros.get("gift_personality").asText()).isEqualTo(mira.giftPersonality().wireName());
    }

    @Test
    void an_exported_png_carries_a_v2_chara_and_a_v3_ccv3_chunk() throws Exception {
        byte[] file = CharacterCards.toPng(CharacterCards.fromJson(ARIA).persona());
        Map<String, String> texts = PngText.texts(file, "chara", "ccv3");
        assertThat(JSON.readTree(java.util.Base64.getDecoder().decode(texts.get("chara"))).get("spec").asText()).isEqualTo("chara_card_v2");
        assertThat(JSON.readTree(java.util.Base64.getDecoder().decode(texts.get("ccv3"))).get("spec").asText()).isEqualTo("chara_card_v3");
        assertThat(CharacterCards.fromPng(png(text("chara", texts.get("chara")))).persona().name()).isEqualTo("Aria");
    }

    @Test
    void exporting_an_imported_card_gives_back_its_card_fields() throws Exception {
        JsonNode original = JSON.readTree(ARIA).get("data");
        JsonNode exported = JSON.readTree(CharacterCards.toJson(CharacterCards.fromJson(ARIA).persona())).get("data");
        for (String f : List.of("name", "description", "personality", "scenario", "first_mes", "mes_example", "system_prompt",
                "post_history_instructions", "alternate_greetings", "character_book", "tags", "nickname", "assets", "source")) {
            assertThat(exported.get(f)).as(f).isEqualTo(original.get(f));
        }
        assertThat(exported.get("extensions").get("depth_prompt")).isEqualTo(original.get("extensions").get("depth_prompt"));
    }

    // ---- refused cards ----

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            not json                     | {"spec": "chara_card_v3", | not valid JSON
            top-level array              | [1, 2]                     | must be a JSON object
            no spec                      | {"data": {"name": "A"}}    | field 'spec' must be chara_card_v2 or chara_card_v3
            unknown spec                 | {"spec": "chara_card_v9", "data": {"name": "A"}} | field 'spec' must be
            V1 card                      | {"name": "A", "description": "d"} | not a Character Card V2 or V3
            spec version 4               | {"spec": "chara_card_v3", "spec_version": "4.0", "data": {"name": "A"}} | must be a 3.x version
            spec version words           | {"spec": "chara_card_v2", "spec_version": "two", "data": {"name": "A"}} | must be a 2.x version
            no data                      | {"spec": "chara_card_v3", "spec_version": "3.0"} | field 'data' must be an object
            missing name                 | {"spec": "chara_card_v3", "spec_version": "3.0", "data": {"description": "d"}} | field 'data.name' is required
            zero-width name              | {"spec": "chara_card_v3", "spec_version": "3.0", "data": {"name": "\\u200b\\u00a0 "}} | field 'data.name' is required
            number for text              | {"spec": "chara_card_v3", "spec_version": "3.0", "data": {"name": 42}} | field 'data.name' must be text
            text for a list              | {"spec": "chara_card_v3", "spec_version": "3.0", "data": {"name": "A", "alternate_greetings": "hi"}} | 'data.alternate_greetings' must be a list of text
            NUL in the name              | {"spec": "chara_card_v3", "spec_version": "3.0", "data": {"name": "A\\u0000B"}} | field 'data.name' contains a NUL character
            lone surrogate               | {"spec": "chara_card_v3", "spec_version": "3.0", "data": {"name": "A", "description": "x\\ud800y"}} | field 'data.description' contains an unpaired surrogate
            lone surrogate in an extension | {"spec": "chara_card_v3", "spec_version": "3.0", "data": {"name": "A", "extensions": {"x": ["\\udc00"]}}} | field 'data.extensions.x[0]' contains an unpaired surrogate
            lone surrogate in a key      | {"spec": "chara_card_v3", "spec_version": "3.0", "data": {"name": "A", "extensions": {"\\udc00": 1}}} | not valid JSON
            NUL in a key                 | {"spec": "chara_card_v3", "spec_version": "3.0", "data": {"name": "A", "extensions": {"a\\u0000": 1}}} | a key in 'data.extensions' contains a NUL character
            duplicate key                | {"spec": "chara_card_v3", "spec_version": "3.0", "data": {"name": "A", "name": "B"}} | not valid JSON
            trailing tokens              | {"spec": "chara_card_v3", "spec_version": "3.0", "data": {"name": "A"}} {} | not valid JSON
            bad lorebook entry           | {"spec": "chara_card_v3", "spec_version": "3.0", "data": {"name": "A", "character_book": {"entries": [{"keys": "k", "content": "c"}]}}} | data.character_book.entries[0].keys must be a list of text
            too many lore keys           | {"spec": "chara_card_v3", "spec_version": "3.0", "data": {"name": "A", "character_book": {"entries": [{"keys": ["k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k","k"], "content": "c"}]}}} | data.character_book.entries[0]: lore entry keys must have at most 64 keys
            lorebook not an object       | {"spec": "chara_card_v3", "spec_version": "3.0", "data": {"name": "A", "character_book": []}} | field 'data.character_book' must be an object
            bad engine extension         | {"spec": "chara_card_v3", "spec_version": "3.0", "data": {"name": "A", "extensions": {"eros_engine": {"timezone": "Mars/Base"}}}} | field 'timezone' is not a time zone id
            unknown engine field         | {"spec": "chara_card_v3", "spec_version": "3.0", "data": {"name": "A", "extensions": {"eros_engine": {"agee": 3}}}} | unknown field 'agee'
            """)
    void a_malformed_card_is_refused_with_a_message_naming_the_problem(String what, String json, String message) {
        assertThatThrownBy(() -> CharacterCards.fromJson(utf8(json)))
                .isInstanceOf(CardException.Malformed.class).hasMessageContaining(message);
    }

    @Test
    void invalid_utf8_and_deep_nesting_are_malformed() {
        assertThatThrownBy(() -> CharacterCards.fromJson(concat(utf8("{\"spec\": \"chara_card_v3\", \"data\": {\"name\": \""),
                new byte[] {(byte) 0xC3, (byte) 0x28}, utf8("\"}}")))).isInstanceOf(CardException.Malformed.class)
                .hasMessageContaining("not valid JSON");
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        assertThatThrownBy(() -> CharacterCards.fromJson(utf8("{\"spec\": \"chara_card_v3\", \"data\": {\"name\": \"A\", \"x\": " + deep + "}}")))
                .isInstanceOf(CardException.Malformed.class).hasMessageContaining("nested deeper than 64 levels");
    }

    @Test
    void oversized_cards_fields_and_lists_are_too_large() throws Exception {
        assertThatThrownBy(() -> CharacterCards.fromJson(ariaWith("description", "\"" + "x".repeat(CharacterCards.MAX_JSON_BYTES) + "\"")))
                .isInstanceOf(CardException.TooLarge.class).hasMessageContaining("over 524288 bytes");
        assertThatThrownBy(() -> CharacterCards.fromJson(ariaWith("description", "\"" + "x".repeat(70_000) + "\"")))
                .isInstanceOf(CardException.TooLarge.class).hasMessage("field 'data.description' is longer than 65536 characters");
        assertThatThrownBy(() -> CharacterCards.fromJson(ariaWith("name", "\"" + "N".repeat(200) + "\"")))
                .isInstanceOf(CardException.TooLarge.class).hasMessageContaining("'data.name' is longer than 128");
        assertThatThrownBy(() -> CharacterCards.fromJson(ariaWith("alternate_greetings", JSON.writeValueAsString(java.util.Collections.nCopies(101, "hi")))))
                .isInstanceOf(CardException.TooLarge.class).hasMessageContaining("more than 100 items");
        String entries = JSON.writeValueAsString(java.util.Collections.nCopies(1001, Map.of("keys", List.of("k"), "content", "c")));
        assertThatThrownBy(() -> CharacterCards.fromJson(ariaWith("character_book", "{\"entries\": " + entries + "}")))
                .isInstanceOf(CardException.TooLarge.class).hasMessageContaining("more than 1000 entries");
    }

    @Test
    void a_png_over_the_limit_or_with_an_oversized_chunk_is_too_large() {
        assertThatThrownBy(() -> CharacterCards.fromPng(png(chunk("tEXt", new byte[CharacterCards.MAX_PNG_BYTES]))))
                .isInstanceOf(CardException.TooLarge.class).hasMessageContaining("the PNG is over");
        assertThatThrownBy(() -> CharacterCards.fromPng(png(text("chara", "A".repeat(PngText.MAX_TEXT_BYTES + 1)))))
                .isInstanceOf(CardException.TooLarge.class).hasMessageContaining("the chara text chunk is over 1048576 bytes");
    }

    @Test
    void a_ztxt_zip_bomb_stops_at_the_text_limit() {
        byte[] bomb = ztext("ccv3", new byte[64 * 1024 * 1024]);
        assertThat(bomb.length).isLessThan(100_000);
        assertThatThrownBy(() -> CharacterCards.fromPng(png(bomb))).isInstanceOf(CardException.TooLarge.class)
                .hasMessageContaining("the ccv3 text chunk is over");
    }

    @Test
    void broken_pngs_are_malformed() {
        byte[] good = png(text("chara", b64(KAEL)));
        assertThatThrownBy(() -> CharacterCards.fromPng(Arrays.copyOf(good, good.length / 2)))
                .isInstanceOf(CardException.Malformed.class).hasMessageContaining("truncated");
        byte[] noIend = Arrays.copyOf(good, good.length - 12);
        assertThatThrownBy(() -> CharacterCards.fromPng(noIend)).hasMessageContaining("truncated (no IEND chunk)");
        byte[] giant = png(ByteBuffer.allocate(12).putInt(0x7fffffff).put("tEXt".getBytes(StandardCharsets.ISO_8859_1)).array());
        assertThatThrownBy(() -> CharacterCards.fromPng(giant)).hasMessageContaining("a chunk is longer than the file");
        byte[] badCrc = good.clone();
        badCrc[40] ^= 1; // inside the tEXt chunk
        assertThatThrownBy(() -> CharacterCards.fromPng(badCrc)).isInstanceOf(CardException.Malformed.class).hasMessageContaining("bad CRC");
        byte[] badSignature = good.clone();
        badSignature[1] = 'X';
        assertThatThrownBy(() -> CharacterCards.fromPng(badSignature)).hasMessageContaining("bad signature");
        assertThatThrownBy(() -> CharacterCards.fromPng(png(text("Comment", "hello"))))
                .isInstanceOf(CardException.Malformed.class).hasMessageContaining("no chara or ccv3 text chunk");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            junk characters  | %%%%
            one char too many| QUJDRA=
            empty            | ''
            """)
    void bad_base64_is_malformed(String what, String value) {
        assertThatThrownBy(() -> CharacterCards.fromPng(png(text("chara", value)))).isInstanceOf(CardException.Malformed.class);
    }

    @Test
    void a_compressed_chunk_with_a_corrupt_stream_is_malformed() {
        byte[] corrupt = chunk("zTXt", concat("ccv3".getBytes(StandardCharsets.ISO_8859_1), new byte[] {0, 0, 1, 2, 3, 4}));
        assertThatThrownBy(() -> CharacterCards.fromPng(png(corrupt))).isInstanceOf(CardException.Malformed.class)
                .hasMessageContaining("compressed text is corrupt");
    }

    @Test
    void any_mutation_of_a_card_either_imports_or_is_refused_with_a_card_exception() {
        java.util.Random random = new java.util.Random(14);
        byte[] pngCard = CharacterCards.toPng(CharacterCards.fromJson(ARIA).persona());
        int imported = 0;
        for (byte[] original : List.of(ARIA, KAEL, pngCard, png(ztext("ccv3", utf8(b64(ARIA)))))) {
            for (int i = 0; i < 1500; i++) {
                byte[] mutated = original.clone();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
                }
                if (random.nextInt(10) == 0) mutated = Arrays.copyOf(mutated, random.nextInt(mutated.length));
                try {
                    assertThat(CharacterCards.read(mutated).persona().name()).isNotBlank();
                    imported++;
                } catch (CardException refused) {
                    assertThat(refused.getMessage()).isNotBlank();
                }
            }
        }
        assertThat(imported).isPositive();
    }
}
