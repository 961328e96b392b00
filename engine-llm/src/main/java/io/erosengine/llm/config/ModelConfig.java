package io.erosengine.llm.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.erosengine.core.port.ModelTask;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The per-task model settings. The file looks like this (every key optional):
 *
 * <pre>
 * [defaults]
 * model = "x-ai/grok-4-fast"
 * temperature = 0.7
 * max_tokens = 600
 * fallback = ["deepseek/deepseek-chat-v3.1"]   # or a single string
 *
 * [tasks.chat_companion]
 * model = "x-ai/grok-4-fast"
 * temperature = 0.85
 *
 * [tasks.embedding]
 * model = "voyage-3.5-lite"
 * dimensions = 512
 * </pre>
 *
 * Keys per table: {@code model, fallback, temperature (0..2), max_tokens (>=1), top_p (0..1],
 * frequency_penalty and presence_penalty (-2..2)}; {@code [tasks.embedding]} takes {@code model} and
 * {@code dimensions} only. Task names are those of {@link ModelTask}. Unknown tables, tasks or keys and
 * values of the wrong type or range are rejected at load with a message naming the key.
 *
 * <p>Resolution per field: persona override (model only) &gt; {@code [tasks.<name>]} &gt;
 * {@code [defaults]} &gt; built-in. The embedding task does not inherit {@code [defaults]} (those are
 * chat models). Immutable and thread-safe.
 */
public final class ModelConfig {
    /** The built-in chat model when nothing is configured. */
    public static final String BUILT_IN_MODEL = "openai/gpt-4o-mini";
    /** The built-in temperature. */
    public static final double BUILT_IN_TEMPERATURE = 0.7;
    /** The built-in max_tokens. */
    public static final int BUILT_IN_MAX_TOKENS = 600;
    /** The built-in embedding model (Voyage). */
    public static final String BUILT_IN_EMBEDDING_MODEL = "voyage-3.5-lite";
    /** The built-in embedding dimension. */
    public static final int BUILT_IN_DIMENSIONS = 512;

    private static final Set<String> CHAT_KEYS = Set.of("model", "fallback", "temperature", "max_tokens", "top_p",
            "frequency_penalty", "presence_penalty");
    private static final Set<String> EMBEDDING_KEYS = Set.of("model", "dimensions");

    private final Entry defaults;
    private final Map<ModelTask, Entry> tasks;

    /** One table's values; null = not set. */
    private record Entry(String model, List<String> fallback, Double temperature, Integer maxTokens, Double topP,
                         Double frequencyPenalty, Double presencePenalty, Integer dimensions) {
        static final Entry EMPTY = new Entry(null, null, null, null, null, null, null, null);
    }

    private ModelConfig(Entry defaults, Map<ModelTask, Entry> tasks) {
        this.defaults = defaults;
        this.tasks = tasks;
    }

    /** Nothing configured: the built-in settings for every task. */
    public static ModelConfig builtIn() { return new ModelConfig(Entry.EMPTY, Map.of()); }

    /**
     * Loads and validates the TOML file at {@code path} (the server passes {@code MODEL_CONFIG_PATH}).
     *
     * @throws ModelConfigException when the file cannot be read or is invalid; the message names the file and key
     */
    public static ModelConfig load(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ModelConfigException("model config " + path + " does not exist", e);
        } catch (IOException e) {
            throw new ModelConfigException("model config " + path + " cannot be read: " + e.getMessage(), e);
        }
        return parse(text, path.toString());
    }

    /**
     * Parses and validates TOML text.
     *
     * @param source the file name for messages
     * @throws ModelConfigException when the text is not TOML or has a bad key or value
     */
    public static ModelConfig parse(String toml, String source) {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(toml);
        } catch (JacksonException e) {
            throw new ModelConfigException(source + ": not valid TOML: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode()) return builtIn();
        Entry defaults = Entry.EMPTY;
        Map<ModelTask, Entry> tasks = new EnumMap<>(ModelTask.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> top = it.next();
            switch (top.getKey()) {
                case "defaults" -> defaults = entry(source, "defaults", top.getValue(), CHAT_KEYS);
                case "tasks" -> {
                    requireTable(source, "tasks", top.getValue());
                    for (Iterator<Map.Entry<String, JsonNode>> t = top.getValue().fields(); t.hasNext(); ) {
                        Map.Entry<String, JsonNode> task = t.next();
                        ModelTask modelTask = taskNamed(source, task.getKey());
                        Set<String> keys = modelTask == ModelTask.EMBEDDING ? EMBEDDING_KEYS : CHAT_KEYS;
                        tasks.put(modelTask, entry(source, "tasks." + task.getKey(), task.getValue(), keys));
                    }
                }
                default -> throw new ModelConfigException(source + ": unknown table or key '" + top.getKey()
                        + "' (expected [defaults] and [tasks.<name>])");
            }
        }
        return new ModelConfig(defaults, Map.copyOf(tasks));
    }

    /** The settings of {@code task} with no persona override. */
    public TaskSettings resolve(ModelTask task) { return resolve(task, null); }

    /**
     * The settings of {@code task}; a non-blank {@code personaModelOverride} replaces the first model
     * (the fallbacks stay).
     */
    public TaskSettings resolve(ModelTask task, String personaModelOverride) {
        Entry t = tasks.getOrDefault(task, Entry.EMPTY);
        Entry d = task == ModelTask.EMBEDDING ? Entry.EMPTY : defaults;
        String model = first(t.model(), d.model(),
                task == ModelTask.EMBEDDING ? BUILT_IN_EMBEDDING_MODEL : BUILT_IN_MODEL);
        if (personaModelOverride != null && !personaModelOverride.isBlank()) model = personaModelOverride.strip();
        return new TaskSettings(model,
                first(t.fallback(), d.fallback(), List.of()),
                first(t.temperature(), d.temperature(), BUILT_IN_TEMPERATURE),
                first(t.maxTokens(), d.maxTokens(), BUILT_IN_MAX_TOKENS),
                first(t.topP(), d.topP(), null),
                first(t.frequencyPenalty(), d.frequencyPenalty(), null),
                first(t.presencePenalty(), d.presencePenalty(), null),
                task == ModelTask.EMBEDDING ? first(t.dimensions(), null, BUILT_IN_DIMENSIONS) : null);
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) if (v != null) return v;
        return null;
    }

    private static ModelTask taskNamed(String source, String name) {
        for (ModelTask t : ModelTask.values()) if (t.configName().equals(name)) return t;
        throw new ModelConfigException(source + ": unknown task 'tasks." + name + "' (known: "
                + Arrays.stream(ModelTask.values()).map(ModelTask::configName).collect(Collectors.joining(", ")) + ")");
    }

    private static void requireTable(String source, String key, JsonNode node) {
        if (!node.isObject()) throw new ModelConfigException(source + ": '" + key + "' must be a table");
    }

    private static Entry entry(String source, String table, JsonNode node, Set<String> allowed) {
        requireTable(source, table, node);
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (!allowed.contains(key)) {
                throw new ModelConfigException(source + ": unknown key '" + table + "." + key + "' (allowed: "
                        + allowed.stream().sorted().collect(Collectors.joining(", ")) + ")");
            }
        }
        return new Entry(
                text(source, table, node, "model"),
                fallback(source, table, node),
                number(source, table, node, "temperature", 0, 2, true),
                integer(source, table, node, "max_tokens", 1, 1_000_000),
                number(source, table, node, "top_p", 0, 1, false),
                number(source, table, node, "frequency_penalty", -2, 2, true),
                number(source, table, node, "presence_penalty", -2, 2, true),
                integer(source, table, node, "dimensions", 1, 16_000));
    }

    private static String text(String source, String table, JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null) return null;
        if (!v.isTextual() || v.asText().isBlank()) {
            throw bad(source, table, key, "must be a non-empty string", v);
        }
        return v.asText().strip();
    }

    private static List<String> fallback(String source, String table, JsonNode node) {
        JsonNode v = node.get("fallback");
        if (v == null) return null;
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            if (!v.asText().isBlank()) out.add(v.asText().strip());
            return List.copyOf(out);
        }
        if (!v.isArray()) throw bad(source, table, "fallback", "must be a model name or a list of model names", v);
        for (JsonNode item : v) {
            if (!item.isTextual() || item.asText().isBlank()) {
                throw bad(source, table, "fallback", "must list non-empty model names", v);
            }
            out.add(item.asText().strip());
        }
        return List.copyOf(out);
    }

    private static Double number(String source, String table, JsonNode node, String key, double min, double max,
                                 boolean minInclusive) {
        JsonNode v = node.get(key);
        if (v == null) return null;
        String range = (minInclusive ? "[" : "(") + fmt(min) + ", " + fmt(max) + "]";
        if (!v.isNumber()) throw bad(source, table, key, "must be a number in " + range, v);
        double d = v.asDouble();
        if (!(minInclusive ? d >= min : d > min) || !(d <= max)) throw bad(source, table, key, "must be in " + range, v);
        return d;
    }

    private static Integer integer(String source, String table, JsonNode node, String key, int min, int max) {
        JsonNode v = node.get(key);
        if (v == null) return null;
        if (!v.isIntegralNumber()) throw bad(source, table, key, "must be a whole number in [" + min + ", " + max + "]", v);
        long n = v.asLong();
        if (n < min || n > max) throw bad(source, table, key, "must be in [" + min + ", " + max + "]", v);
        return (int) n;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static ModelConfigException bad(String source, String table, String key, String rule, JsonNode value) {
        return new ModelConfigException(source + ": '" + table + "." + key + "' " + rule + ", got " + value);
    }
}
