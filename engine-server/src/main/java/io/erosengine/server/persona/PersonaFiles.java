package io.erosengine.server.persona;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.erosengine.core.lore.Lorebook;
import io.erosengine.core.model.GiftPersonality;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads persona files: one persona per {@code *.json} file, with the snake_case fields of a
 * persona ({@code name}, {@code system_prompt}, {@code age}, {@code mbti}, {@code backstory},
 * {@code speech_style}, {@code quirks}, {@code topics}, {@code timezone}, {@code language},
 * {@code gift_personality}, {@code greeting}, {@code avatar_url}, {@code model}, and free-form
 * {@code extensions} kept intact). {@code id} is optional; without it the id is derived from the
 * name, so the same file always yields the same id. Unknown fields are errors (they are usually
 * typos); put custom data under {@code extensions}. A folder may also hold Character Cards
 * ({@code *.png}, or {@code *.json} with a {@code spec} field), read by {@link CharacterCards}.
 * Stateless and thread-safe.
 */
public final class PersonaFiles {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private PersonaFiles() {}

    /**
     * Every {@code *.json} and {@code *.png} file directly in {@code dir}, in file-name order.
     *
     * @throws PersonaFileException when the folder cannot be read, holds no persona file, a file is
     *     invalid, or two files use the same name
     */
    public static List<Persona> loadDirectory(Path dir) {
        if (!Files.isDirectory(dir)) throw new PersonaFileException(dir + ": not a folder");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> isPersonaFileName(p.getFileName().toString()) && Files.isRegularFile(p)).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new PersonaFileException(dir + ": cannot list the folder (" + e.getMessage() + ")");
        }
        if (files.isEmpty()) throw new PersonaFileException(dir + ": no *.json or *.png persona files");
        List<Persona> personas = new ArrayList<>();
        Map<String, Path> byName = new HashMap<>();
        for (Path f : files) {
            Persona p = loadFile(f);
            Path other = byName.putIfAbsent(p.name(), f);
            if (other != null) throw new PersonaFileException(f + ": the name '" + p.name() + "' is already used by " + other.getFileName());
            personas.add(p);
        }
        return List.copyOf(personas);
    }

    /**
     * One persona file: a Character Card PNG ({@code *.png}), a Character Card JSON (a {@code *.json}
     * object with a {@code spec} field) or a persona file.
     *
     * @throws PersonaFileException naming the file and the problem
     */
    public static Persona loadFile(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > CharacterCards.MAX_PNG_BYTES) throw new PersonaFileException(file + ": larger than "
                    + CharacterCards.MAX_PNG_BYTES + " bytes");
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PersonaFileException(file + ": cannot read (" + e.getMessage() + ")");
        }
        try {
            if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) return CharacterCards.fromPng(bytes).persona();
            JsonNode tree;
            try {
                tree = MAPPER.readTree(bytes);
            } catch (JsonProcessingException e) {
                throw new PersonaFileException(file + ": not valid JSON" + line(e));
            } catch (IOException e) {
                throw new PersonaFileException(file + ": cannot read (" + e.getMessage() + ")");
            }
            if (CharacterCards.isCard(tree)) return CharacterCards.fromJson(bytes).persona();
            return fromTree(file.toString(), tree);
        } catch (CardException e) {
            throw new PersonaFileException(file + ": " + e.getMessage());
        }
    }

    /**
     * Parses one persona from JSON text; {@code source} names it in errors.
     *
     * @throws PersonaFileException naming the source and the problem
     */
    public static Persona parse(String source, String json) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new PersonaFileException(source + ": not valid JSON" + line(e));
        }
        return fromTree(source, tree);
    }

    /**
     * One persona from a parsed JSON object of the persona file shape; {@code source} names it in errors.
     *
     * @throws PersonaFileException naming the source and the problem
     */
    static Persona fromTree(String source, JsonNode tree) {
        if (tree == null || !tree.isObject()) throw new PersonaFileException(source + ": must be a JSON object");
        PersonaFile f;
        try {
            f = MAPPER.treeToValue(tree, PersonaFile.class);
        } catch (UnrecognizedPropertyException e) {
            throw new PersonaFileException(source + ": unknown field '" + e.getPropertyName()
                    + "' (put custom data under \"extensions\")");
        } catch (MismatchedInputException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() == null ? "[" + r.getIndex() + "]" : r.getFieldName())
                    .collect(Collectors.joining("."));
            throw new PersonaFileException(source + ": " + (field.isEmpty() ? "must be a JSON object" : "field '" + field + "' has the wrong type"));
        } catch (JsonProcessingException e) {
            throw new PersonaFileException(source + ": not a valid persona object");
        }
        try {
            Persona persona = f.toPersona();
            Lorebook.of(persona); // a lorebook under extensions must be readable at every turn
            return persona;
        } catch (IllegalArgumentException | DateTimeException e) {
            throw new PersonaFileException(source + ": " + e.getMessage());
        }
    }

    /** " (line N)" for a parse error that knows its line, else "". */
    static String line(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }

    private static boolean isPersonaFileName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".json") || lower.endsWith(".png");
    }

    /** The id a persona file without {@code id} gets: a name-based UUID. */
    public static PersonaId idForName(String name) {
        return new PersonaId(UUID.nameUUIDFromBytes(("eros-engine persona:" + name).getBytes(StandardCharsets.UTF_8)));
    }

    /** The file shape; snake_case on the wire. */
    record PersonaFile(String id, String name, String systemPrompt, Integer age, String mbti, String backstory,
                       String speechStyle, List<String> quirks, List<String> topics, String timezone, String language,
                       String giftPersonality, String greeting, String avatarUrl, @JsonProperty("model") String model,
                       Map<String, Object> extensions) {
        Persona toPersona() {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("field 'name' is required");
            if (systemPrompt == null || systemPrompt.isBlank()) throw new IllegalArgumentException("field 'system_prompt' is required");
            PersonaId pid = id == null ? idForName(name.strip()) : PersonaId.parse(id);
            ZoneId zone = null;
            if (timezone != null) {
                try {
                    zone = ZoneId.of(timezone);
                } catch (DateTimeException e) {
                    throw new IllegalArgumentException("field 'timezone' is not a time zone id (like Europe/Paris): '" + timezone + "'");
                }
            }
            GiftPersonality gift = null;
            if (giftPersonality != null) {
                try {
                    gift = GiftPersonality.parse(giftPersonality);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("field 'gift_personality' must be warm, tsundere, zen or gold_digger, got '" + giftPersonality + "'");
                }
            }
            if (quirks != null && quirks.contains(null)) throw new IllegalArgumentException("field 'quirks' must not contain null");
            if (topics != null && topics.contains(null)) throw new IllegalArgumentException("field 'topics' must not contain null");
            return new Persona(pid, name.strip(), systemPrompt, age, mbti, backstory, speechStyle, quirks, topics, zone, language,
                    gift, greeting, avatarUrl, model, extensions);
        }
    }
}
