package io.erosengine.llm.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.erosengine.core.affinity.AffinityDelta;
import io.erosengine.core.affinity.AffinityEngine;
import io.erosengine.core.affinity.AffinityPolicy;
import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.affinity.GiftCatalog;
import io.erosengine.core.affinity.GiftEvent;
import io.erosengine.core.ghost.GhostPolicy;
import io.erosengine.core.memory.Attribution;
import io.erosengine.core.memory.MemoryCategory;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.ScoredMemory;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.GiftPersonality;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaId;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.pde.ActionPlan;
import io.erosengine.core.pde.PdeEvent;
import io.erosengine.core.pde.PdeInput;
import io.erosengine.core.pde.PersonaDecisionEngine;
import io.erosengine.core.pde.PlannedAction;
import io.erosengine.core.pde.ReplyStyle;
import io.erosengine.core.pde.TurnSignals;
import io.erosengine.core.port.ChatRequest;
import io.erosengine.core.port.ChatResponse;
import io.erosengine.core.port.ModelException;
import io.erosengine.core.port.ModelTask;
import io.erosengine.core.port.PromptMessage;
import io.erosengine.core.prompt.PromptAssembler;
import io.erosengine.core.prompt.PromptBudgets;
import io.erosengine.core.prompt.PromptInput;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The offline companion over prompts built by the real assembler, for the example personas and every style. */
class OfflineChatModelTest {
    private static final Instant NOW = Instant.parse("2026-01-01T20:00:00Z");
    private static final UserId USER = new UserId(new UUID(0, 1));
    private static final SessionId SESSION = new SessionId(new UUID(0, 2));
    private static final Persona KAI = persona("Kai", "Dry, terse, sarcastic; lowercase texting; denies being happy when clearly happy.",
            List.of("games", "programming", "late-night food", "music"), GiftPersonality.TSUNDERE);
    private static final Persona MIRA = persona("Mira", "Friendly and lively, short sentences, the occasional emoji, asks follow-up questions.",
            List.of("art", "food", "travel", "small daily joys"), GiftPersonality.WARM);
    private static final Persona SORA = persona("Sora", "Unhurried and gentle, uses nature images, rarely exclamation marks.",
            List.of("nature", "tea", "mindfulness", "books"), GiftPersonality.ZEN);
    private static final Persona NORA = persona("Nora", "gentle, a little teasing", List.of("books", "music", "the sea"),
            GiftPersonality.WARM);
    private static final List<Persona> PERSONAS = List.of(KAI, MIRA, SORA, NORA);

    private final OfflineChatModel model = new OfflineChatModel(Clock.fixed(NOW, ZoneOffset.UTC));
    private final PromptAssembler assembler = new PromptAssembler(PromptBudgets.DEFAULTS);
    private final PersonaDecisionEngine pde = new PersonaDecisionEngine(new AffinityEngine(AffinityPolicy.DEFAULTS),
            GhostPolicy.DEFAULTS, GiftCatalog.DEFAULT);

    private static Persona persona(String name, String speechStyle, List<String> topics, GiftPersonality gifts) {
        return new Persona(new PersonaId(UUID.nameUUIDFromBytes(name.getBytes())), name, "You are " + name
                + ", a companion. You never claim to be an AI.", 28, "INFJ", "Lives somewhere nice.", speechStyle,
                List.of("hums"), topics, ZoneId.of("Europe/Lisbon"), "en", gifts, "Hi.", null, null, Map.of());
    }

    private static MemoryItem memory(int n, String content, MemoryCategory category) {
        InstanceId instance = category.layer() == io.erosengine.core.memory.MemoryLayer.RELATIONSHIP ? new InstanceId(new UUID(0, 3)) : null;
        return new MemoryItem(new MemoryId(new UUID(1, n)), USER, instance, null, List.of(), content, category, 5,
                Attribution.USER, "test", NOW, NOW, NOW, null, 0, 1, false, null);
    }

    private static ChatMessage message(int n, MessageRole role, String content) {
        return new ChatMessage(new MessageId(new UUID(2, n)), SESSION, USER, role, content, NOW.minusSeconds(100 - n),
                null, null, false, false, null, null, null, true);
    }

    /** A request as the engine builds it: the prompt of a reply turn in {@code style}. */
    private ChatRequest turn(Persona persona, ReplyStyle style, List<String> profile, List<String> shared,
                             UserInsights insights, List<ChatMessage> history, String message) {
        ActionPlan plan = new ActionPlan(new PlannedAction.Reply(), style, AffinityDelta.ZERO, List.of(), null);
        return request(persona, plan, profile, shared, insights, history, message);
    }

    private ChatRequest request(Persona persona, ActionPlan plan, List<String> profile, List<String> shared,
                                UserInsights insights, List<ChatMessage> history, String message) {
        List<ScoredMemory> p = new ArrayList<>();
        for (int i = 0; i < profile.size(); i++) p.add(new ScoredMemory(memory(i, profile.get(i), MemoryCategory.FACT), 0.8, 0, 0, 0, 0, 0.8, 0, 0, 0, 0.8));
        List<ScoredMemory> s = new ArrayList<>();
        for (int i = 0; i < shared.size(); i++) s.add(new ScoredMemory(memory(100 + i, shared.get(i), MemoryCategory.NICKNAME), 0.8, 0, 0, 0, 0, 0.8, 0, 0, 0, 0.8));
        PromptInput input = new PromptInput(persona, NOW, insights, p, s, AffinityState.INITIAL, plan, history, message);
        return ChatRequest.of(ModelTask.CHAT_COMPANION, assembler.assemble(input).messages());
    }

    private String reply(ChatRequest request) { return model.complete(request).content(); }

    private static final List<ChatMessage> EARLIER = List.of(message(1, MessageRole.USER, "hello there"),
            message(2, MessageRole.ASSISTANT, "Hello. Good to see you."));

    static Stream<Arguments> personasAndStyles() {
        List<Arguments> out = new ArrayList<>();
        for (Persona p : PERSONAS) for (ReplyStyle s : ReplyStyle.values()) out.add(Arguments.of(p.name(), s));
        return out.stream();
    }

    private static Persona named(String name) {
        return PERSONAS.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    /** What the persona's speech style does to a phrasing: Kai writes lowercase, Sora has no exclamation marks. */
    private static String voiced(Persona p, String phrase) {
        String out = p == SORA ? phrase.replace("?!", "?").replace('!', '.') : phrase;
        return p == KAI ? out.toLowerCase(java.util.Locale.ROOT) : out;
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("personasAndStyles")
    void a_statement_gets_a_reaction_in_the_style_of_the_turn_and_the_voice_of_the_persona(String name, ReplyStyle style) {
        Persona p = named(name);
        String message = "I adopted a kitten today and she already sleeps on my keyboard.";
        String reply = reply(turn(p, style, List.of(), List.of(), UserInsights.EMPTY, EARLIER, message));

        assertThat(Phrases.reaction(style)).anySatisfy(phrase -> assertThat(reply).startsWith(voiced(p, phrase)));
        assertThat(reply).doesNotContain("kitten").doesNotContain("You said").doesNotContain("I hear you")
                .doesNotContain("offline");
        if (p == KAI) assertThat(reply).isLowerCase();
        if (p == SORA) assertThat(reply).doesNotContain("!");
        assertThat(reply(turn(p, style, List.of(), List.of(), UserInsights.EMPTY, EARLIER, message))).isEqualTo(reply);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("giftCases")
    void a_gift_gets_the_reaction_of_the_persona_s_gift_personality(String name, ReplyStyle expectedStyle, String expected) {
        Persona p = named(name);
        ActionPlan plan = pde.decide(new PdeInput(new PdeEvent.Gift(new GiftEvent("rose", "a red rose", 0, null, null)),
                AffinityState.INITIAL, p, new TurnSignals(3, Optional.empty(), 0, 0, Optional.empty())));
        assertThat(plan.style()).isEqualTo(expectedStyle);

        String reply = reply(request(p, plan, List.of(), List.of(), UserInsights.EMPTY, EARLIER,
                "(The user sends you a gift: a red rose.)"));

        assertThat(reply).isEqualTo(expected);
        assertThat(Phrases.gift(expectedStyle, "a red rose")).anySatisfy(phrase -> assertThat(reply).startsWith(voiced(p, phrase)));
        assertThat(reply).doesNotContain("You said").doesNotContain("(The user");
    }

    static Stream<Arguments> giftCases() {
        return Stream.of(
                Arguments.of("Kai", ReplyStyle.TSUNDERE, "w-why would you get me a red rose? ...i'm not blushing. thanks."),
                Arguments.of("Mira", ReplyStyle.WARM, "Oh, a red rose! You just made my whole day, thank you. \u2728"),
                Arguments.of("Sora", ReplyStyle.NEUTRAL, "A red rose. Thank you; I will keep it somewhere I can see it every day."),
                Arguments.of("Nora", ReplyStyle.WARM, "Oh, a red rose! You just made my whole day, thank you."));
    }

    @Test
    void a_question_about_the_user_is_answered_from_the_recalled_memory_in_a_sentence() {
        List<String> profile = List.of("The user lives in Lisbon.",
                "The user's cat is called Miso, she is a tiny grey tabby who steals the user's socks.");
        String reply = reply(turn(NORA, ReplyStyle.NEUTRAL, profile, List.of(), UserInsights.EMPTY, EARLIER,
                "Guess who knocked my socks off the bed again? Do you remember my cat's name?"));

        assertThat(reply).endsWith(" You told me your cat is called Miso, she is a tiny grey tabby who steals your socks.")
                .doesNotContain("Lisbon").doesNotContain("the user");
    }

    @Test
    void a_question_about_two_things_is_answered_with_both_memories() {
        List<String> profile = List.of("The user's name is Sam.", "The user lives in Lisbon.",
                "The user works as a nurse at the children's hospital.");
        UserInsights insights = new UserInsights("Lisbon", "nurse", List.of(), List.of(), null, null, null, null);
        String reply = reply(turn(MIRA, ReplyStyle.WARM, profile, List.of(), insights, EARLIER,
                "What city do I live in, and what is my job?"));

        assertThat(reply).contains("You told me you live in Lisbon, and that you work as a nurse");
        assertThat(Phrases.remembers(ReplyStyle.WARM)).anySatisfy(phrase -> assertThat(reply).startsWith(phrase));
    }

    @Test
    void a_question_in_other_words_finds_the_memory_and_an_insight_saying_the_same_is_told_once() {
        UserInsights insights = new UserInsights(null, null, List.of("hiking in the alps"), List.of(), null, null, null, null);
        String reply = reply(turn(SORA, ReplyStyle.NEUTRAL, List.of("The user loves hiking in the Alps."), List.of(),
                insights, EARLIER, "Do you remember what I enjoy?"));
        assertThat(reply).endsWith(" You told me you're into hiking in the alps.");
    }

    @Test
    void a_statement_does_not_bring_back_the_memory_of_the_same_statement() {
        String reply = reply(turn(MIRA, ReplyStyle.NEUTRAL, List.of("The user had a rough day at work."), List.of(),
                UserInsights.EMPTY, EARLIER, "I had a rough day at work."));
        assertThat(reply).doesNotContain("rough day").doesNotContain("You told me");
    }

    @Test
    void a_relationship_memory_is_told_as_something_between_the_two() {
        String reply = reply(turn(MIRA, ReplyStyle.NEUTRAL, List.of(), List.of("The user calls Mira \"Mimi\"."),
                UserInsights.EMPTY, EARLIER, "Do you remember what I call you?"));
        assertThat(reply).contains("You told me you call me \"Mimi\".");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ReplyStyle.class)
    void a_question_about_something_never_told_is_admitted(ReplyStyle style) {
        String reply = reply(turn(SORA, style, List.of("The user lives in Lisbon."), List.of(), UserInsights.EMPTY, EARLIER,
                "What's my favourite colour?"));
        assertThat(reply).isEqualTo(voiced(SORA, Phrases.notTold(style).get(0)));
    }

    @Test
    void a_greeting_uses_the_user_s_name_when_a_memory_tells_it() {
        String reply = reply(turn(MIRA, ReplyStyle.WARM, List.of("The user's name is Sam."), List.of(), UserInsights.EMPTY,
                EARLIER, "Hi!"));
        assertThat(reply).contains("Sam").doesNotContain("Hi!\"");
        assertThat(Phrases.greeting(ReplyStyle.WARM, "Sam")).anySatisfy(phrase -> assertThat(reply).startsWith(phrase));
    }

    @Test
    void a_statement_brings_back_a_memory_that_shares_its_words() {
        String reply = reply(turn(NORA, ReplyStyle.WARM, List.of("The user loves jazz and long walks by the river."),
                List.of(), UserInsights.EMPTY, EARLIER, "I went for a long walk by the river tonight."));
        assertThat(reply).contains("you love jazz and long walks by the river.");
    }

    @Test
    void the_offline_marker_ends_only_the_first_reply_of_a_session() {
        String first = reply(turn(KAI, ReplyStyle.NEUTRAL, List.of(), List.of(), UserInsights.EMPTY, List.of(), "I love ramen."));
        String later = reply(turn(KAI, ReplyStyle.NEUTRAL, List.of(), List.of(), UserInsights.EMPTY, EARLIER, "I love ramen."));

        assertThat(first).endsWith(" " + OfflineChatModel.OFFLINE_MARKER);
        assertThat(first.indexOf("offline")).isEqualTo(first.lastIndexOf("offline"));
        assertThat(later).doesNotContain("offline").doesNotContain("language model");
    }

    @Test
    void turns_of_a_session_vary_and_never_repeat_the_previous_reply_s_phrasing() {
        List<ChatMessage> history = new ArrayList<>();
        List<String> replies = new ArrayList<>();
        List<String> messages = List.of("I work nights at a hospital.", "I have a little sister.", "I cook a lot on Sundays.",
                "I started running again.", "I play the piano badly.", "I grew up by the sea.");
        for (String m : messages) {
            String reply = reply(turn(MIRA, ReplyStyle.NEUTRAL, List.of(), List.of(), UserInsights.EMPTY, List.copyOf(history), m));
            if (!replies.isEmpty()) {
                String previous = replies.get(replies.size() - 1);
                String reaction = Phrases.reaction(ReplyStyle.NEUTRAL).stream().filter(reply::startsWith).findFirst().orElseThrow();
                assertThat(previous).doesNotContain(reaction);
            }
            replies.add(reply);
            history.add(message(history.size() + 10, MessageRole.USER, m));
            history.add(message(history.size() + 10, MessageRole.ASSISTANT, reply));
        }
        Set<String> distinct = new HashSet<>(replies);
        assertThat(distinct).hasSize(messages.size());
    }

    @Test
    void the_same_request_gets_the_same_reply_and_streaming_delivers_it_word_by_word() {
        ChatRequest req = turn(MIRA, ReplyStyle.EXCITED, List.of("The user loves jazz."), List.of(), UserInsights.EMPTY,
                List.of(), "Any music tips for me?");
        List<String> deltas = new ArrayList<>();
        ChatResponse streamed = model.stream(req, deltas::add);
        assertThat(streamed.content()).isEqualTo(model.complete(req).content());
        assertThat(String.join("", deltas)).isEqualTo(streamed.content());
        assertThat(deltas).hasSizeGreaterThan(5).allSatisfy(d -> assertThat(d.strip()).doesNotContain(" "));
        assertThat(streamed.offline()).isTrue();
        assertThat(streamed.model()).isEqualTo(OfflineChatModel.MODEL_NAME);
    }

    @Test
    void json_tasks_are_refused_rather_than_faked() {
        ModelException.BadRequest e = catchThrowableOfType(ModelException.BadRequest.class, () -> model.complete(
                new ChatRequest(ModelTask.MEMORY_EXTRACTION, List.of(PromptMessage.user("x")), null, "{\"type\":\"object\"}", null)));
        assertThat(e.providerCode()).isEqualTo("offline_json_unsupported");
        assertThat(e.model()).isEqualTo("offline-companion");
    }
}
