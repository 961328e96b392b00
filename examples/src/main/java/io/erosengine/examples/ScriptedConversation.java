package io.erosengine.examples;

import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.affinity.Axis;
import io.erosengine.core.affinity.GiftEvent;
import io.erosengine.core.memory.MemoryFilter;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.model.GiftPersonality;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaId;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.EngineStores;
import io.erosengine.llm.offline.MiniLmEmbeddingModel;
import io.erosengine.llm.offline.OfflineChatModel;
import io.erosengine.runtime.AffinityView;
import io.erosengine.runtime.CompanionEngine;
import io.erosengine.runtime.GiftResult;
import io.erosengine.runtime.SessionStart;
import io.erosengine.runtime.StartRequest;
import io.erosengine.runtime.TurnResult;

import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The conversation both examples hold: in session one the user tells the persona a few facts; the
 * post-process jobs turn them into memories; in session two the user asks about them and the
 * persona's reply uses what it remembered (the memories used are printed); then a gift lands. The
 * affinity axes and label are printed after every turn.
 *
 * <p>Lines a check can rely on: {@code "recalled: <memory>"} for each memory a session-two turn
 * used, and {@code "affinity moved: ..."} at the end, comparing the first and the last state.
 */
public final class ScriptedConversation {
    private static final List<String> SESSION_ONE = List.of(
            "Hi Nora! I'm Sam. I live in Lisbon and I work as a nurse at the children's hospital.",
            "My cat is called Miso, she is a tiny grey tabby who steals my socks.",
            "I love jazz and long walks by the river after a night shift.");
    private static final List<String> SESSION_TWO = List.of(
            "Guess who knocked my socks off the bed again? Do you remember my cat's name?",
            "What city do I live in, and what is my job?");

    private ScriptedConversation() {}

    /** The example persona. */
    static Persona persona() {
        return new Persona(PersonaId.random(), "Nora", "You are Nora, a curious and warm companion who loves details.",
                29, "INFJ", "A bookshop owner in a small harbour town.", "gentle, a little teasing",
                List.of("collects old postcards"), List.of("books", "music", "the sea"), ZoneId.of("Europe/Lisbon"),
                "en", GiftPersonality.WARM, "Oh, hello there. Come in, the kettle is on.", null, null, Map.of());
    }

    /** An engine over {@code stores} with the offline models: MiniLM embeddings and the offline chat model. */
    static CompanionEngine engine(EngineStores stores) {
        Clock clock = Clock.systemUTC();
        return CompanionEngine.builder()
                .stores(stores)
                .chatModel(new OfflineChatModel(clock))
                .embeddingModel(new MiniLmEmbeddingModel(512))
                .clock(clock)
                .workers(0) // post-process runs below with runDueJobs(); a server would call start() instead
                .build();
    }

    /** Holds the conversation, printing to {@code out}; returns the user it talked as. */
    static UserId run(CompanionEngine engine, EngineStores stores, PrintStream out) {
        Persona persona = stores.personas().upsert(persona());
        UserId user = UserId.random();
        out.println("persona " + persona.name() + " (" + persona.id() + "), user " + user);

        SessionStart first = engine.startSession(user, StartRequest.persona(persona.id()));
        out.println();
        out.println("== session 1 (" + first.sessionId() + ")");
        out.println(persona.name() + ": " + first.greeting());
        AffinityState initial = engine.affinity(user, first.sessionId()).axes();
        printAffinity(out, engine.affinity(user, first.sessionId()));
        for (String line : SESSION_ONE) turn(engine, user, first.sessionId(), line, out, false);

        int jobs = engine.runDueJobs();
        out.println();
        out.println("post-process: " + jobs + " jobs ran (one coalesced extraction of memories and insights, embedding, merge)");
        for (MemoryItem m : engine.memories(user, MemoryFilter.all(50))) {
            out.println("  stored " + m.layer().wireName() + "/" + m.category().wireName() + ": " + m.content());
        }
        out.println("  insights: " + engine.profile(user));

        SessionStart second = engine.startSession(user, new StartRequest(persona.id(), null, false, true));
        out.println();
        out.println("== session 2 (" + second.sessionId() + ", a new session with the same persona)");
        for (String line : SESSION_TWO) turn(engine, user, second.sessionId(), line, out, true);

        GiftResult gift = engine.sendGift(user, second.sessionId(), new GiftEvent("rose", "a red rose", 0, null, null), null);
        out.println();
        out.println("you: (sends a red rose)");
        out.println(persona.name() + " [" + gift.style().wireName() + "]: " + gift.reply());
        out.println("gift landed: pushes " + gift.appliedPushes().nonZero().entrySet().stream()
                .map(e -> e.getKey().wireName() + " " + String.format(Locale.ROOT, "%+.3f", e.getValue()))
                .collect(Collectors.joining(", ")) + ", label " + gift.label().wireName());
        AffinityView last = engine.affinity(user, second.sessionId());
        printAffinity(out, last);

        out.println();
        out.println("affinity moved: " + java.util.Arrays.stream(Axis.values())
                .filter(a -> Math.abs(last.axes().get(a) - initial.get(a)) >= 0.0005)
                .map(a -> a.wireName() + String.format(Locale.ROOT, " %.3f -> %.3f", initial.get(a), last.axes().get(a)))
                .collect(Collectors.joining(", ")) + "; label " + last.label().wireName());
        return user;
    }

    private static void turn(CompanionEngine engine, UserId user, SessionId session, String text, PrintStream out,
                             boolean showRecall) {
        out.println();
        out.println("you: " + text);
        TurnResult r = engine.send(user, session, text, null);
        out.println("Nora [" + r.action().wireName() + ", " + (r.style() == null ? "-" : r.style().wireName())
                + ", typing " + r.typingDelay().toMillis() + " ms]: " + r.reply());
        if (showRecall) {
            out.println("  memories used: " + r.memoriesUsed().size());
            for (MemoryId id : r.memoriesUsed()) {
                engine.memories(user, MemoryFilter.all(100)).stream().filter(m -> m.id().equals(id)).findFirst()
                        .ifPresent(m -> out.println("  recalled: " + m.content()));
            }
        }
        printAffinity(out, engine.affinity(user, session));
    }

    private static void printAffinity(PrintStream out, AffinityView v) {
        out.println("  affinity " + java.util.Arrays.stream(Axis.values())
                .map(a -> a.wireName() + String.format(Locale.ROOT, " %.3f", v.axes().get(a)))
                .collect(Collectors.joining("  ")) + "  | label " + v.label().wireName());
    }
}
