package io.erosengine.server.persona;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.erosengine.core.lore.LoreMatcher;
import io.erosengine.core.lore.LoreSelection;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Character Card costs, single-threaded, in process: import of the small V3 fixture (JSON and PNG),
 * of a card near the JSON limit (1000 lorebook entries), export of that card (JSON and PNG), the
 * refusal of a zTXt zip bomb, and the lorebook match of one turn over the 1000 entries. Prints each
 * operation's p50/p95/p99 and operations per second. Run: {@code scripts/bench-cards.sh}
 */
public final class CardBenchmark {
    private static final int WARMUP = 200;
    private static final int RUNS = 1000;

    private CardBenchmark() {}

    public static void main(String[] args) throws Exception {
        byte[] aria = CardFixtures.resource("aria-v3.json");
        byte[] ariaPng = CharacterCards.toPng(CharacterCards.fromJson(aria).persona());
        byte[] big = bigCard(aria);
        Persona bigPersona = CharacterCards.fromJson(big).persona();
        byte[] bomb = CardFixtures.png(CardFixtures.ztext("ccv3", new byte[64 * 1024 * 1024]));
        List<ChatMessage> history = history();

        System.out.printf(Locale.ROOT, "JVM %s, %d cores; small card %d B JSON / %d B PNG; big card %d B JSON (1000 lore entries); "
                        + "zip bomb %d B PNG inflating to 64 MiB; %d runs after %d warm-up%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), aria.length, ariaPng.length, big.length, bomb.length,
                RUNS, WARMUP);
        measure("import small JSON", () -> CharacterCards.fromJson(aria));
        measure("import small PNG", () -> CharacterCards.fromPng(ariaPng));
        measure("import big JSON", () -> CharacterCards.fromJson(big));
        measure("export big JSON", () -> CharacterCards.toJson(bigPersona));
        measure("export big PNG", () -> CharacterCards.toPng(bigPersona));
        measure("refuse zip bomb", () -> {
            try {
                return CharacterCards.fromPng(bomb);
            } catch (CardException.TooLarge expected) {
                return expected;
            }
        });
        LoreSelection s = LoreMatcher.forTurn(bigPersona, history, "what about key 7 and key 512?", LoreMatcher.DEFAULT_MAX_TOKENS);
        System.out.printf(Locale.ROOT, "lore match: %d entries chosen, %d tokens, %d dropped for the budget%n",
                s.entries().size(), s.tokens(), s.droppedForBudget());
        measure("lore match, 1000 entries", () -> LoreMatcher.forTurn(bigPersona, history, "what about key 7 and key 512?",
                LoreMatcher.DEFAULT_MAX_TOKENS));
    }

    private static byte[] bigCard(byte[] aria) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(aria);
        ArrayNode entries = json.createArrayNode();
        for (int i = 0; i < 1000; i++) {
            ObjectNode e = entries.addObject();
            e.putArray("keys").add("key " + i).add("alias" + i);
            e.put("content", ("Fact " + i + ": ").repeat(1) + "x".repeat(400));
            e.put("insertion_order", i % 50);
            e.put("priority", i % 7);
        }
        ((ObjectNode) root.get("data")).putObject("character_book").set("entries", entries);
        return json.writeValueAsBytes(root);
    }

    private static List<ChatMessage> history() {
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            out.add(new ChatMessage(new MessageId(new UUID(9, i)), new SessionId(new UUID(8, 8)), new UserId(new UUID(7, 7)),
                    i % 2 == 0 ? MessageRole.USER : MessageRole.ASSISTANT, "message " + i + " " + "words ".repeat(50),
                    Instant.EPOCH.plusSeconds(i), null, null, false, false, null, null, null, true));
        }
        return out;
    }

    private static void measure(String what, Supplier<?> op) {
        for (int i = 0; i < WARMUP; i++) op.get();
        long[] nanos = new long[RUNS];
        long start = System.nanoTime();
        for (int i = 0; i < RUNS; i++) {
            long t = System.nanoTime();
            op.get();
            nanos[i] = System.nanoTime() - t;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "%-26s p50 %8.3f ms  p95 %8.3f ms  p99 %8.3f ms  %9.0f ops/s%n", what,
                nanos[RUNS / 2] / 1e6, nanos[RUNS * 95 / 100] / 1e6, nanos[RUNS * 99 / 100] / 1e6, RUNS / seconds);
    }
}
