package io.erosengine.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TolerantJsonTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"ok\": 1}",
        "  {\"ok\": 1}  ",
        "```json\n{\"ok\": 1}\n```",
        "Here you go: {\"ok\": 1} - enjoy!",
        "Note {not json} then {\"ok\": 1}",
        "{\"ok\": 1, \"s\": \"a } brace and \\\" quote\"}"})
    void the_first_json_object_is_found_in_prose_and_fences(String text) {
        assertThat(TolerantJson.firstObject(text)).hasValueSatisfying(n -> assertThat(n.get("ok").asInt()).isEqualTo(1));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "no json here", "[1, 2]", "{\"unclosed\": 1", "{bad: json}"})
    void text_without_a_json_object_gives_empty(String text) {
        assertThat(TolerantJson.firstObject(text)).isEmpty();
    }
}
