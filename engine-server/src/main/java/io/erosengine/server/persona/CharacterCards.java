package io.erosengine.server.persona;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.erosengine.core.lore.Lorebook;
import io.erosengine.core.model.Persona;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Character Cards (chara_card_v2 and chara_card_v3, as SillyTavern and most character sites
 * exchange them) read into personas and written from them, as JSON or as a PNG with the card in
 * base64 text chunks ({@code chara} for V2, {@code ccv3} for V3; {@code ccv3} wins when both are
 * there, and a broken {@code ccv3} falls back to {@code chara} with a warning).
 *
 * <p>Mapping to the persona: {@code name}; {@code description} is the backstory; {@code first_mes}
 * the greeting; the system prompt is the card's {@code system_prompt} ({@code {{original}}} and
 * the line break after it removed: there is no global prompt it could stand for), then {@code "Personality: "} and {@code "Scenario: "} lines, or a one-line default when
 * all three are empty. {@code {{char}}}, {@code <BOT>} and {@code <CHAR>} become the name (the V3
 * {@code nickname} when set); {@code {{user}}} stays for the prompt to fill. The card's whole
 * {@code data} object (normalised to the V3 field set: alternate greetings, example dialogue,
 * post-history instructions, tags, creator notes, creator, version, the character book, unknown
 * extensions, ...) is kept in the persona's extensions under {@value Lorebook#CARD_EXTENSION}
 * ({@code {"data": {...}}}), where {@link Lorebook#of(Persona)} finds the lorebook. What a card has
 * no field for (age, MBTI, quirks, topics, time zone, language, gift personality, avatar, model,
 * other extensions) travels in {@code data.extensions.eros_engine}, with the persona file's field
 * names. The persona id is always derived from the name ({@link PersonaFiles#idForName}).
 *
 * <p>Export writes a V3 card ({@link #toJson}) whose fields are the persona's; the stored card
 * fields are written as they were imported when they still give the persona's values, so importing
 * an export gives the same persona, and exporting an imported card gives the same card data.
 *
 * <p>Limits: JSON {@value #MAX_JSON_BYTES} bytes, PNG {@value #MAX_PNG_BYTES} bytes, nesting
 * {@value #MAX_DEPTH} levels, every text {@value #MAX_TEXT_CHARS} characters, the name
 * {@value #MAX_NAME_CHARS}, {@value #MAX_LIST_ITEMS} greetings or tags, {@link Lorebook#MAX_ENTRIES}
 * lorebook entries. No text may hold a NUL or an unpaired surrogate; duplicate keys are refused.
 * Over a limit: {@link CardException.TooLarge}; anything else wrong: {@link CardException.Malformed}.
 * Stateless and thread-safe.
 */
public final class CharacterCards {
    /** The largest card JSON, in bytes. */
    public static final int MAX_JSON_BYTES = 512 * 1024;
    /** The largest card PNG, in bytes. */
    public static final int MAX_PNG_BYTES = 2 * 1024 * 1024;
    /** The longest text anywhere in a card, in characters. */
    public static final int MAX_TEXT_CHARS = 65_536;
    /** The longest name, in characters. */
    public static final int MAX_NAME_CHARS = 128;
    /** The most alternate greetings, group greetings or tags. */
    public static final int MAX_LIST_ITEMS = 100;
    /** The deepest JSON nesting. */
    public static final int MAX_DEPTH = 64;
    /** The spec of V2 cards. */
    public static final String SPEC_V2 = "chara_card_v2";
    /** The spec of V3 cards. */
    public static final String SPEC_V3 = "chara_card_v3";
    /** The card extension holding what a card has no field for. */
    public static final String EROS_EXTENSION = "eros_engine";

    private static final int MAX_KEY_CHARS = 256;
    private static final List<String> TEXTS = List.of("description", "personality", "scenario", "first_mes", "mes_example",
            "creator_notes", "system_prompt", "post_history_instructions");
    private static final Pattern CHAR = Pattern.compile("\\{\\{char}}|<bot>|<char>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ORIGINAL = Pattern.compile("\\{\\{original}}\\R?", Pattern.CASE_INSENSITIVE);
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                            .maxDocumentLength(MAX_JSON_BYTES).maxStringLength(MAX_JSON_BYTES).maxNumberLength(64)
                            .maxNameLength(MAX_KEY_CHARS * 4).build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private CharacterCards() {}

    /** A card from a PNG (by its signature) or JSON. */
    public static ImportedCard read(byte[] bytes) {
        return PngText.isPng(bytes) ? fromPng(bytes) : fromJson(bytes);
    }

    /**
     * A card from a PNG's {@code ccv3} or {@code chara} text chunk.
     *
     * @throws CardException what is wrong with the file or the card
     */
    public static ImportedCard fromPng(byte[] png) {
        if (png.length > MAX_PNG_BYTES) throw new CardException.TooLarge("the PNG is over " + MAX_PNG_BYTES + " bytes");
        Map<String, String> texts = PngText.texts(png, "ccv3", "chara");
        String v3 = texts.get("ccv3");
        String v2 = texts.get("chara");
        if (v3 == null && v2 == null) throw new CardException.Malformed("the PNG carries no character card (no chara or ccv3 text chunk)");
        if (v3 == null) return fromJson(base64("chara", v2));
        try {
            return fromJson(base64("ccv3", v3));
        } catch (CardException e) {
            if (v2 == null) throw e;
            ImportedCard fallback;
            try {
                fallback = fromJson(base64("chara", v2));
            } catch (CardException ignored) {
                throw e;
            }
            return fallback.withWarning("the ccv3 chunk is unusable (" + e.getMessage() + "); the chara chunk was imported");
        }
    }

    /**
     * A card from its JSON (UTF-8, a BOM allowed).
     *
     * @throws CardException what is wrong with the card
     */
    public static ImportedCard fromJson(byte[] json) {
        if (json.length > MAX_JSON_BYTES) throw new CardException.TooLarge("the card JSON is over " + MAX_JSON_BYTES + " bytes");
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (StreamConstraintsException e) {
            throw new CardException.Malformed("the card JSON is nested deeper than " + MAX_DEPTH + " levels or has an over-long name or number");
        } catch (JsonProcessingException e) {
            throw new CardException.Malformed("the card is not valid JSON" + PersonaFiles.line(e));
        } catch (IOException e) {
            throw new CardException.Malformed("the card could not be read");
        }
        if (root == null || !root.isObject()) throw new CardException.Malformed("the card must be a JSON object");
        JsonNode specNode = root.get("spec");
        String spec = specNode != null && specNode.isTextual() ? specNode.textValue() : "";
        if (!spec.equals(SPEC_V2) && !spec.equals(SPEC_V3)) {
            throw new CardException.Malformed("not a Character Card V2 or V3: field 'spec' must be chara_card_v2 or chara_card_v3");
        }
        List<String> warnings = new ArrayList<>();
        specVersion(spec, root.get("spec_version"), warnings);
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) throw new CardException.Malformed("field 'data' must be an object");
        checkTexts(data, "data");
        return new ImportedCard(persona((ObjectNode) data), spec, warnings);
    }

    /** Whether a parsed JSON object is card-shaped (has a {@code spec} field) rather than a persona file. */
    static boolean isCard(JsonNode tree) {
        return tree != null && tree.isObject() && tree.has("spec");
    }

    /** The persona as a V3 card, UTF-8 JSON. */
    public static byte[] toJson(Persona persona) {
        return write(card(persona, SPEC_V3));
    }

    /**
     * The persona as a PNG: a generated 1x1 placeholder image with the V3 card in a {@code ccv3}
     * chunk and the same data as a V2 card in a {@code chara} chunk (for older readers).
     */
    public static byte[] toPng(Persona persona) {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("chara", Base64.getEncoder().encodeToString(write(card(persona, SPEC_V2))));
        texts.put("ccv3", Base64.getEncoder().encodeToString(write(card(persona, SPEC_V3))));
        return PngText.placeholder(texts);
    }

    // ---- import ----

    private static void specVersion(String spec, JsonNode version, List<String> warnings) {
        String wanted = spec.equals(SPEC_V2) ? "2.0" : "3.0";
        if (version == null || version.isNull()) {
            warnings.add("the card has no spec_version; read as " + wanted);
            return;
        }
        double v;
        try {
            v = version.isNumber() ? version.doubleValue() : version.isTextual() ? Double.parseDouble(version.textValue()) : Double.NaN;
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        double major = Double.parseDouble(wanted);
        if (!(v >= major && v < major + 1)) {
            throw new CardException.Malformed("field 'spec_version' must be a " + (int) major + ".x version for " + spec);
        }
        if (v > major) warnings.add("spec_version " + version.asText() + " is newer than " + wanted + "; fields this engine does not know are kept");
    }

    /** Every text and key under {@code node}: no NUL, no unpaired surrogate, within the length limits. */
    private static void checkTexts(JsonNode node, String path) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                checkText(e.getKey(), "a key in '" + path + "'", MAX_KEY_CHARS);
                checkTexts(e.getValue(), path + "." + e.getKey());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) checkTexts(node.get(i), path + "[" + i + "]");
        } else if (node.isTextual()) {
            checkText(node.textValue(), "field '" + path + "'", MAX_TEXT_CHARS);
        }
    }

    private static void checkText(String text, String what, int maxChars) {
        if (text.length() > maxChars) throw new CardException.TooLarge(what + " is longer than " + maxChars + " characters");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) throw new CardException.Malformed(what + " contains a NUL character");
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new CardException.Malformed(what + " contains an unpaired surrogate");
            }
        }
    }

    private static Persona persona(ObjectNode data) {
        String name = text(data, "name");
        if (blankToReader(name)) throw new CardException.Malformed("field 'data.name' is required");
        name = name.strip();
        if (name.length() > MAX_NAME_CHARS) throw new CardException.TooLarge("field 'data.name' is longer than " + MAX_NAME_CHARS + " characters");
        JsonNode book = data.get("character_book");
        if (book != null && !book.isNull()) lorebook(book);
        JsonNode extensions = data.get("extensions");
        if (extensions != null && !extensions.isNull() && !extensions.isObject()) {
            throw new CardException.Malformed("field 'data.extensions' must be an object");
        }
        JsonNode eros = extensions == null ? null : extensions.get(EROS_EXTENSION);
        if (eros != null && !eros.isObject()) throw new CardException.Malformed("field 'data.extensions." + EROS_EXTENSION + "' must be an object");

        ObjectNode stored = MAPPER.createObjectNode();
        stored.put("name", name);
        for (String f : TEXTS) stored.put(f, text(data, f));
        stored.set("alternate_greetings", texts(data, "alternate_greetings"));
        if (book != null && !book.isNull()) stored.set("character_book", book);
        stored.set("tags", texts(data, "tags"));
        stored.put("creator", text(data, "creator"));
        stored.put("character_version", text(data, "character_version"));
        ObjectNode cardExtensions = extensions == null || extensions.isNull() ? MAPPER.createObjectNode() : ((ObjectNode) extensions).deepCopy();
        cardExtensions.remove(EROS_EXTENSION);
        stored.set("extensions", cardExtensions);
        stored.set("group_only_greetings", texts(data, "group_only_greetings"));
        data.fields().forEachRemaining(e -> {
            if (!stored.has(e.getKey())) stored.set(e.getKey(), e.getValue());
        });

        String charName = charName(stored, name);
        ObjectNode file = eros == null ? MAPPER.createObjectNode() : ((ObjectNode) eros).deepCopy();
        file.remove("id");
        file.put("name", name);
        file.put("system_prompt", systemPrompt(stored, charName));
        file.put("backstory", blankToNull(resolve(stored.get("description").textValue(), charName)));
        file.put("greeting", blankToNull(resolve(stored.get("first_mes").textValue(), charName)));
        JsonNode own = file.get("extensions");
        if (own != null && !own.isNull() && !own.isObject()) {
            throw new CardException.Malformed("field 'data.extensions." + EROS_EXTENSION + ".extensions' must be an object");
        }
        ObjectNode personaExtensions = own == null || own.isNull() ? MAPPER.createObjectNode() : (ObjectNode) own;
        personaExtensions.set(Lorebook.CARD_EXTENSION, MAPPER.createObjectNode().set("data", stored));
        file.set("extensions", personaExtensions);
        try {
            return PersonaFiles.fromTree("field 'data.extensions." + EROS_EXTENSION + "'", file);
        } catch (PersonaFileException e) {
            throw new CardException.Malformed(e.getMessage());
        }
    }

    private static void lorebook(JsonNode book) {
        if (!book.isObject()) throw new CardException.Malformed("field 'data.character_book' must be an object");
        JsonNode entries = book.get("entries");
        if (entries != null && entries.size() > Lorebook.MAX_ENTRIES) {
            throw new CardException.TooLarge("field 'data.character_book.entries' has more than " + Lorebook.MAX_ENTRIES + " entries");
        }
        try {
            Lorebook.fromMap(MAPPER.convertValue(book, Map.class));
        } catch (IllegalArgumentException e) {
            throw new CardException.Malformed("data." + e.getMessage());
        }
    }

    private static String text(JsonNode data, String field) {
        JsonNode v = data.get(field);
        if (v == null || v.isNull()) return "";
        if (!v.isTextual()) throw new CardException.Malformed("field 'data." + field + "' must be text");
        return v.textValue();
    }

    private static ArrayNode texts(JsonNode data, String field) {
        JsonNode v = data.get(field);
        ArrayNode out = MAPPER.createArrayNode();
        if (v == null || v.isNull()) return out;
        if (!v.isArray()) throw new CardException.Malformed("field 'data." + field + "' must be a list of text");
        if (v.size() > MAX_LIST_ITEMS) throw new CardException.TooLarge("field 'data." + field + "' has more than " + MAX_LIST_ITEMS + " items");
        for (JsonNode item : v) {
            if (!item.isTextual()) throw new CardException.Malformed("field 'data." + field + "' must be a list of text");
            out.add(item);
        }
        return out;
    }

    private static byte[] base64(String keyword, String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
            b.append(c == '-' ? '+' : c == '_' ? '/' : c);
        }
        while (b.length() > 0 && b.charAt(b.length() - 1) == '=') b.setLength(b.length() - 1);
        if (b.length() % 4 == 1) throw new CardException.Malformed("the " + keyword + " chunk is not valid base64");
        while (b.length() % 4 != 0) b.append('=');
        try {
            return Base64.getDecoder().decode(b.toString());
        } catch (IllegalArgumentException e) {
            throw new CardException.Malformed("the " + keyword + " chunk is not valid base64");
        }
    }

    // ---- export ----

    private static ObjectNode card(Persona p, String spec) {
        ObjectNode stored = storedData(p);
        String charName = charName(stored, p.name());
        String sp = str(stored, "system_prompt");
        String personality = str(stored, "personality");
        String scenario = str(stored, "scenario");
        boolean promptIsStored = systemPrompt(sp, personality, scenario, charName).equals(p.systemPrompt());

        ObjectNode d = MAPPER.createObjectNode();
        d.put("name", p.name());
        d.put("description", storedIfSame(str(stored, "description"), p.backstory(), charName));
        d.put("personality", promptIsStored ? personality : "");
        d.put("scenario", promptIsStored ? scenario : "");
        d.put("first_mes", storedIfSame(str(stored, "first_mes"), p.greeting(), charName));
        d.put("mes_example", str(stored, "mes_example"));
        d.put("creator_notes", str(stored, "creator_notes"));
        d.put("system_prompt", promptIsStored ? sp : p.systemPrompt());
        d.put("post_history_instructions", str(stored, "post_history_instructions"));
        d.set("alternate_greetings", list(stored, "alternate_greetings"));
        if (stored.has("character_book")) d.set("character_book", stored.get("character_book"));
        d.set("tags", list(stored, "tags"));
        d.put("creator", str(stored, "creator"));
        d.put("character_version", str(stored, "character_version"));
        ObjectNode extensions = stored.get("extensions") instanceof ObjectNode o ? o.deepCopy() : MAPPER.createObjectNode();
        extensions.set(EROS_EXTENSION, erosFields(p));
        d.set("extensions", extensions);
        d.set("group_only_greetings", list(stored, "group_only_greetings"));
        stored.fields().forEachRemaining(e -> {
            if (!d.has(e.getKey())) d.set(e.getKey(), e.getValue());
        });
        ObjectNode root = MAPPER.createObjectNode();
        root.put("spec", spec);
        root.put("spec_version", spec.equals(SPEC_V3) ? "3.0" : "2.0");
        root.set("data", d);
        return root;
    }

    private static ObjectNode storedData(Persona p) {
        Object card = p.extensions().get(Lorebook.CARD_EXTENSION);
        Object data = card instanceof Map<?, ?> m ? m.get("data") : null;
        return data instanceof Map<?, ?> ? MAPPER.valueToTree(data) : MAPPER.createObjectNode();
    }

    private static ObjectNode erosFields(Persona p) {
        ObjectNode e = MAPPER.createObjectNode();
        if (p.age() != null) e.put("age", p.age());
        if (p.mbti() != null) e.put("mbti", p.mbti());
        if (p.speechStyle() != null) e.put("speech_style", p.speechStyle());
        e.set("quirks", MAPPER.valueToTree(p.quirks()));
        e.set("topics", MAPPER.valueToTree(p.topics()));
        e.put("timezone", p.timezone().getId());
        e.put("language", p.language());
        e.put("gift_personality", p.giftPersonality().wireName());
        if (p.avatarUrl() != null) e.put("avatar_url", p.avatarUrl());
        if (p.modelOverride() != null) e.put("model", p.modelOverride());
        Map<String, Object> own = new LinkedHashMap<>(p.extensions());
        own.remove(Lorebook.CARD_EXTENSION);
        if (!own.isEmpty()) e.set("extensions", MAPPER.valueToTree(own));
        return e;
    }

    private static String storedIfSame(String stored, String personaValue, String charName) {
        String derived = blankToNull(resolve(stored, charName));
        if (personaValue == null) return derived == null ? stored : "";
        return personaValue.equals(derived) ? stored : personaValue;
    }

    private static byte[] write(ObjectNode card) {
        try {
            return MAPPER.writeValueAsBytes(card);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a card tree always serialises", e);
        }
    }

    // ---- shared ----

    private static String systemPrompt(JsonNode stored, String charName) {
        return systemPrompt(str(stored, "system_prompt"), str(stored, "personality"), str(stored, "scenario"), charName);
    }

    /** The persona's system prompt from the card's three prompt fields. */
    private static String systemPrompt(String systemPrompt, String personality, String scenario, String charName) {
        List<String> lines = new ArrayList<>();
        String sp = resolve(ORIGINAL.matcher(systemPrompt).replaceAll(""), charName);
        if (!sp.isBlank()) lines.add(sp);
        if (!personality.isBlank()) lines.add("Personality: " + resolve(personality, charName).strip());
        if (!scenario.isBlank()) lines.add("Scenario: " + resolve(scenario, charName).strip());
        return lines.isEmpty() ? "Play " + charName + " as described in your background." : String.join("\n", lines);
    }

    private static String charName(JsonNode stored, String name) {
        String nickname = str(stored, "nickname");
        return blankToReader(nickname) ? name : nickname.strip();
    }

    private static String resolve(String text, String charName) {
        return CHAR.matcher(text).replaceAll(Matcher.quoteReplacement(charName));
    }

    private static String str(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.textValue() : "";
    }

    private static ArrayNode list(JsonNode node, String field) {
        return node.get(field) instanceof ArrayNode a ? a : MAPPER.createArrayNode();
    }

    private static String blankToNull(String text) { return text == null || text.isBlank() ? null : text; }

    /** Blank, or only spaces, no-break spaces and invisible format characters (zero-width space, ...). */
    private static boolean blankToReader(String text) {
        return text.codePoints().allMatch(cp -> Character.isWhitespace(cp) || Character.isSpaceChar(cp)
                || Character.getType(cp) == Character.FORMAT);
    }
}
