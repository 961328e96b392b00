package io.erosengine.llm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.erosengine.core.port.ModelTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelConfigTest {

    @Test
    void the_shipped_example_loads_and_configures_every_task() {
        ModelConfig config = ModelConfig.load(Path.of("..", "config", "models.example.toml"));
        assertThat(config.resolve(ModelTask.CHAT_COMPANION).modelChain())
                .containsExactly("x-ai/grok-4-fast", "deepseek/deepseek-chat-v3.1", "openai/gpt-4o-mini");
        assertThat(config.resolve(ModelTask.MEMORY_EXTRACTION).model()).isEqualTo("anthropic/claude-haiku-4.5");
        assertThat(config.resolve(ModelTask.INSIGHT_EXTRACTION).maxTokens()).isEqualTo(400);
        assertThat(config.resolve(ModelTask.AFFINITY_EVALUATION).temperature()).isEqualTo(0.2);
        assertThat(config.resolve(ModelTask.CHAT_COMPANION).temperature()).isEqualTo(0.85);
        assertThat(config.resolve(ModelTask.EMBEDDING).dimensions()).isEqualTo(512);
        assertThat(config.resolve(ModelTask.EMBEDDING).model()).isEqualTo("voyage-3.5-lite");
    }

    @Test
    void resolution_is_persona_override_then_task_then_defaults_then_built_in() {
        ModelConfig config = ModelConfig.parse("""
                [defaults]
                model = "d/model"
                max_tokens = 300
                fallback = "d/backup"

                [tasks.chat_companion]
                model = "t/model"
                temperature = 0.9
                """, "t.toml");
        TaskSettings chat = config.resolve(ModelTask.CHAT_COMPANION);
        assertThat(chat.model()).isEqualTo("t/model");
        assertThat(chat.temperature()).isEqualTo(0.9);
        assertThat(chat.maxTokens()).isEqualTo(300);
        assertThat(chat.fallbacks()).containsExactly("d/backup");
        assertThat(chat.topP()).isNull();

        TaskSettings overridden = config.resolve(ModelTask.CHAT_COMPANION, "persona/model");
        assertThat(overridden.modelChain()).containsExactly("persona/model", "d/backup");

        TaskSettings insight = config.resolve(ModelTask.INSIGHT_EXTRACTION);
        assertThat(insight.model()).isEqualTo("d/model");
        assertThat(insight.temperature()).isEqualTo(ModelConfig.BUILT_IN_TEMPERATURE);

        TaskSettings embedding = config.resolve(ModelTask.EMBEDDING);
        assertThat(embedding.model()).isEqualTo(ModelConfig.BUILT_IN_EMBEDDING_MODEL);
        assertThat(embedding.dimensions()).isEqualTo(ModelConfig.BUILT_IN_DIMENSIONS);
    }

    @Test
    void nothing_configured_gives_the_built_in_settings() {
        TaskSettings s = ModelConfig.builtIn().resolve(ModelTask.CHAT_COMPANION, " ");
        assertThat(s.model()).isEqualTo(ModelConfig.BUILT_IN_MODEL);
        assertThat(s.maxTokens()).isEqualTo(ModelConfig.BUILT_IN_MAX_TOKENS);
        assertThat(s.fallbacks()).isEmpty();
        assertThat(ModelConfig.parse("", "empty.toml").resolve(ModelTask.MEMORY_EXTRACTION).model())
                .isEqualTo(ModelConfig.BUILT_IN_MODEL);
    }

    @Test
    void a_fallback_list_keeps_its_order_and_a_task_list_replaces_the_default_list() {
        ModelConfig config = ModelConfig.parse("""
                [defaults]
                fallback = ["a", "b"]
                [tasks.memory_extraction]
                model = "m"
                fallback = ["c", "m", "d"]
                [tasks.insight_extraction]
                fallback = []
                """, "t.toml");
        assertThat(config.resolve(ModelTask.MEMORY_EXTRACTION).modelChain()).containsExactly("m", "c", "d");
        assertThat(config.resolve(ModelTask.INSIGHT_EXTRACTION).fallbacks()).isEmpty();
        assertThat(config.resolve(ModelTask.AFFINITY_EVALUATION).fallbacks()).isEqualTo(List.of("a", "b"));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "[tasks.chat_companion]\\ntemperature = 3.5            | 'tasks.chat_companion.temperature' must be in [0, 2], got 3.5",
        "[tasks.chat_companion]\\ntemperature = \"hot\"        | 'tasks.chat_companion.temperature' must be a number in [0, 2]",
        "[defaults]\\nmax_tokens = 0                           | 'defaults.max_tokens' must be in [1, 1000000], got 0",
        "[defaults]\\nmax_tokens = 1.5                         | 'defaults.max_tokens' must be a whole number",
        "[tasks.chat_compainon]\\nmodel = \"x\"                | unknown task 'tasks.chat_compainon'",
        "[tasks.chat_companion]\\nmodle = \"x\"                | unknown key 'tasks.chat_companion.modle'",
        "[tasks.chat_companion]\\nmodel = \"\"                 | 'tasks.chat_companion.model' must be a non-empty string",
        "[tasks.memory_extraction]\\nfallback = 3              | 'tasks.memory_extraction.fallback' must be a model name or a list",
        "[tasks.memory_extraction]\\nfallback = [\"a\", 1]     | 'tasks.memory_extraction.fallback' must list non-empty model names",
        "[tasks.embedding]\\ndimensions = 0                    | 'tasks.embedding.dimensions' must be in [1, 16000]",
        "[tasks.embedding]\\ntemperature = 0.5                 | unknown key 'tasks.embedding.temperature'",
        "[tasks.chat_companion]\\ntop_p = 0                    | 'tasks.chat_companion.top_p' must be in (0, 1]",
        "[tasks.chat_companion]\\npresence_penalty = -3        | 'tasks.chat_companion.presence_penalty' must be in [-2, 2]",
        "[models]\\nx = 1                                      | unknown table or key 'models'",
        "tasks = 5                                            | 'tasks' must be a table",
        "[defaults\\nmodel = 1                                     | not valid TOML"})
    void invalid_configs_are_rejected_with_a_message_naming_the_key(String toml, String expected) {
        assertThatThrownBy(() -> ModelConfig.parse(toml.replace("\\n", "\n"), "models.toml"))
                .isInstanceOf(ModelConfigException.class)
                .hasMessageStartingWith("models.toml: ")
                .hasMessageContaining(expected.strip());
    }

    @Test
    void a_missing_file_is_named_in_the_error(@TempDir Path dir) {
        Path missing = dir.resolve("nope.toml");
        assertThatThrownBy(() -> ModelConfig.load(missing))
                .isInstanceOf(ModelConfigException.class).hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
    }

    @Test
    void a_file_on_disk_is_loaded(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("models.toml"), "[tasks.chat_companion]\nmodel = \"x/y\"\n");
        assertThat(ModelConfig.load(file).resolve(ModelTask.CHAT_COMPANION).model()).isEqualTo("x/y");
    }
}
