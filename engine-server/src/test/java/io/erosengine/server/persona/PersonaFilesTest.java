package io.erosengine.server.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.erosengine.core.model.GiftPersonality;
import io.erosengine.core.model.Persona;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PersonaFilesTest {
    static final Path EXAMPLES = Path.of("..", "personas");

    @Test
    void the_three_example_personas_load_with_distinct_gift_personalities() {
        List<Persona> personas = PersonaFiles.loadDirectory(EXAMPLES);
        assertThat(personas).hasSize(3);
        assertThat(personas).extracting(Persona::giftPersonality).doesNotHaveDuplicates();
        assertThat(personas).allSatisfy(p -> {
            assertThat(p.greeting()).isNotBlank();
            assertThat(p.extensions()).isNotEmpty();
            assertThat(p.id()).isEqualTo(PersonaFiles.idForName(p.name()));
        });
    }

    @Test
    void every_field_is_read_and_extensions_are_kept_intact() {
        Persona p = PersonaFiles.parse("test.json", """
                {"id": "11111111-2222-4333-8444-555555555555", "name": " Ada ", "system_prompt": "You are Ada.", "age": 30,
                 "mbti": "INTP", "backstory": "b", "speech_style": "s", "quirks": ["q"], "topics": ["t1", "t2"],
                 "timezone": "Europe/Paris", "language": "fr", "gift_personality": "gold_digger", "greeting": "Salut",
                 "avatar_url": "https://example.com/a.png", "model": "openai/gpt-4o-mini",
                 "extensions": {"nested": {"list": [1, "two", true, null]}, "n": 1.5}}
                """);
        assertThat(p.id().toString()).isEqualTo("11111111-2222-4333-8444-555555555555");
        assertThat(p.name()).isEqualTo("Ada");
        assertThat(p.age()).isEqualTo(30);
        assertThat(p.timezone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(p.giftPersonality()).isEqualTo(GiftPersonality.GOLD_DIGGER);
        assertThat(p.chatModelOverride()).contains("openai/gpt-4o-mini");
        assertThat(p.topics()).containsExactly("t1", "t2");
        assertThat(p.extensions()).containsEntry("n", 1.5);
        assertThat(((Map<?, ?>) p.extensions().get("nested")).get("list")).isEqualTo(java.util.Arrays.asList(1, "two", true, null));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"system_prompt\": \"x\"}|field 'name' is required",
            "{\"name\": \"A\"}|field 'system_prompt' is required",
            "{\"name\": \"A\", \"system_prompt\": \"x\", \"sytem_prompt\": \"typo\"}|unknown field 'sytem_prompt'",
            "{\"name\": \"A\", \"system_prompt\": \"x\", \"age\": \"old\"}|field 'age' has the wrong type",
            "{\"name\": \"A\", \"system_prompt\": \"x\", \"age\": -1}|persona age must be in",
            "{\"name\": \"A\", \"system_prompt\": \"x\", \"timezone\": \"Mars/Olympus\"}|field 'timezone' is not a time zone id",
            "{\"name\": \"A\", \"system_prompt\": \"x\", \"gift_personality\": \"greedy\"}|field 'gift_personality' must be warm, tsundere, zen or gold_digger",
            "{\"name\": \"A\", \"system_prompt\": \"x\", \"id\": \"nope\"}|persona id must be a UUID",
            "{\"name\": \"A\", \"system_prompt\": \"x\", \"quirks\": \"one\"}|field 'quirks' has the wrong type",
            "{\"name\": \"A\", |not valid JSON (line 1)",
            "[1]|must be a JSON object",
            "{\"name\": \"A\", \"system_prompt\": \"x\", \"extensions\": {\"character_card\": {\"data\": {\"character_book\": {\"entries\": 3}}}}}|character_book.entries must be a list",
    })
    void invalid_files_fail_with_a_message_naming_the_file_and_the_problem(String json, String message) {
        assertThatThrownBy(() -> PersonaFiles.parse("personas/a.json", json))
                .isInstanceOf(PersonaFileException.class)
                .hasMessageStartingWith("personas/a.json: ")
                .hasMessageContaining(message);
    }

    @Test
    void a_folder_with_two_files_of_the_same_name_or_no_files_is_refused(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> PersonaFiles.loadDirectory(dir)).hasMessageContaining("no *.json or *.png persona files");
        Files.writeString(dir.resolve("a.json"), "{\"name\": \"Same\", \"system_prompt\": \"x\"}");
        Files.writeString(dir.resolve("b.json"), "{\"name\": \"Same\", \"system_prompt\": \"y\"}");
        assertThatThrownBy(() -> PersonaFiles.loadDirectory(dir)).hasMessageContaining("b.json").hasMessageContaining("already used by a.json");
        assertThatThrownBy(() -> PersonaFiles.loadDirectory(dir.resolve("missing"))).hasMessageContaining("not a folder");
    }

    @Test
    void a_folder_mixes_persona_files_card_json_and_card_pngs_in_file_name_order(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("b-aria.json"), CardFixtures.resource("aria-v3.json"));
        Files.write(dir.resolve("c-kael.PNG"), CardFixtures.png(CardFixtures.text("chara", CardFixtures.b64(CardFixtures.resource("kael-v2.json")))));
        Files.writeString(dir.resolve("a-ada.json"), "{\"name\": \"Ada\", \"system_prompt\": \"You are Ada.\"}");
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        List<Persona> personas = PersonaFiles.loadDirectory(dir);
        assertThat(personas).extracting(Persona::name).containsExactly("Ada", "Aria", "Kael");
        assertThat(personas.get(1)).isEqualTo(CharacterCards.fromJson(CardFixtures.resource("aria-v3.json")).persona());
    }

    @Test
    void a_bad_card_file_names_the_file_and_the_problem(@TempDir Path dir) throws Exception {
        Path card = Files.writeString(dir.resolve("card.json"), "{\"spec\": \"chara_card_v3\", \"data\": {\"name\": 7}}");
        assertThatThrownBy(() -> PersonaFiles.loadFile(card)).isInstanceOf(PersonaFileException.class)
                .hasMessage(card + ": field 'data.name' must be text");
        Path png = Files.write(dir.resolve("card.png"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> PersonaFiles.loadFile(png)).hasMessage(png + ": not a PNG file (bad signature)");
    }
}
