package io.erosengine.store.contract;

import static io.erosengine.store.contract.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.erosengine.core.model.Channel;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.ChatSession;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.PersonaId;
import io.erosengine.core.model.TokenUsage;
import io.erosengine.core.port.AppOpenEvent;
import io.erosengine.core.port.AppendResult;
import io.erosengine.core.affinity.AffinityTransition;
import io.erosengine.core.port.EngineStores;
import io.erosengine.core.port.TurnStore;
import io.erosengine.core.port.HistoryPage;
import io.erosengine.core.port.Job;
import io.erosengine.core.port.JobRequest;
import io.erosengine.core.port.NewMessage;
import io.erosengine.core.port.ProactiveWrite;
import io.erosengine.core.port.StoredProactive;
import io.erosengine.core.proactive.ProactiveLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ConversationStore contract, run against every store. */
abstract class ConversationStoreContract {
    abstract EngineStores stores();

    Fixtures.UserWorld a;
    private Fixtures.UserWorld b;

    @BeforeEach
    void setUp() {
        a = Fixtures.world(stores(), "Conv");
        b = Fixtures.world(stores(), "Conv");
    }

    private ChatMessage userSays(Fixtures.UserWorld w, String text, int second, String clientMsgId) {
        return stores().conversations().append(NewMessage.fromUser(w.user(), w.session().id(), MessageRole.USER, text,
                T0.plusSeconds(second), clientMsgId)).message();
    }

    private NewMessage reply(Fixtures.UserWorld w, ChatMessage to, String text, int second) {
        return new NewMessage(null, w.user(), w.session().id(), MessageRole.ASSISTANT, text, T0.plusSeconds(second), null,
                to.id(), true, "some/model", new TokenUsage(120, 30), Duration.ofMillis(850));
    }

    @Test
    void an_instance_is_unique_per_user_and_persona() {
        PersonaId persona = a.instance().personaId();
        assertThat(stores().conversations().instanceFor(a.user(), persona, T0.plusSeconds(5))).isEqualTo(a.instance());
        assertThat(stores().conversations().findInstance(a.user(), a.instance().id())).contains(a.instance());
        assertThat(b.instance().id()).isNotEqualTo(a.instance().id());
    }

    @Test
    void an_instance_of_an_unknown_persona_is_rejected() {
        assertThatThrownBy(() -> stores().conversations().instanceFor(a.user(), PersonaId.random(), T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sessions_resume_the_latest_and_list_most_recent_first() {
        ChatSession second = stores().conversations().startSession(a.user(), a.instance().id(), true, T0.plusSeconds(10));
        assertThat(stores().conversations().latestSession(a.user(), a.instance().id())).contains(second);
        userSays(a, "back to the first", 20, null);
        assertThat(stores().conversations().latestSession(a.user(), a.instance().id()).orElseThrow().id())
                .isEqualTo(a.session().id());
        assertThat(stores().conversations().listSessions(a.user())).extracting(s -> s.session().id())
                .containsExactly(a.session().id(), second.id());
        assertThat(stores().conversations().listSessions(a.user()).get(0).personaName()).isEqualTo("Conv");
        assertThat(second.demo()).isTrue();
    }

    @Test
    void resume_is_channel_scoped_so_a_voice_start_never_resumes_a_text_session() {
        var conversations = stores().conversations();
        assertThat(conversations.latestSession(a.user(), a.instance().id(), Channel.VOICE)).isEmpty();
        ChatSession voice = conversations.startSession(a.user(), a.instance().id(), false, Channel.VOICE, T0.plusSeconds(10));
        assertThat(voice.channel()).isEqualTo(Channel.VOICE);
        assertThat(conversations.latestSession(a.user(), a.instance().id(), Channel.VOICE)).contains(voice);
        assertThat(conversations.latestSession(a.user(), a.instance().id(), Channel.TEXT).orElseThrow().id())
                .isEqualTo(a.session().id());
        assertThat(conversations.findSession(a.user(), voice.id())).contains(voice);
    }

    @Test
    void archived_sessions_are_neither_resumed_nor_listed_and_a_repeat_archives_nothing() {
        var conversations = stores().conversations();
        conversations.startSession(a.user(), a.instance().id(), false, Channel.VOICE, T0.plusSeconds(10));
        assertThat(conversations.archiveSessions(a.user(), a.instance().id(), T0.plusSeconds(20))).isEqualTo(2);
        assertThat(conversations.archiveSessions(a.user(), a.instance().id(), T0.plusSeconds(30))).isZero();
        assertThat(conversations.archiveSessions(b.user(), a.instance().id(), T0.plusSeconds(30))).isZero();
        assertThat(conversations.latestSession(a.user(), a.instance().id(), Channel.TEXT)).isEmpty();
        assertThat(conversations.latestSession(a.user(), a.instance().id(), Channel.VOICE)).isEmpty();
        assertThat(conversations.listSessions(a.user())).isEmpty();
        assertThat(conversations.findSession(a.user(), a.session().id())).isPresent();
        assertThat(conversations.listSessions(b.user())).hasSize(1);
    }

    @Test
    void offset_paging_skips_the_newest_messages_and_returns_the_page_oldest_first() {
        for (int i = 1; i <= 5; i++) userSays(a, "m" + i, i, null);
        var conversations = stores().conversations();
        assertThat(conversations.recentMessages(a.user(), a.session().id(), 2, 0)).extracting(ChatMessage::content)
                .containsExactly("m4", "m5");
        assertThat(conversations.recentMessages(a.user(), a.session().id(), 2, 2)).extracting(ChatMessage::content)
                .containsExactly("m2", "m3");
        assertThat(conversations.recentMessages(a.user(), a.session().id(), 2, 4)).extracting(ChatMessage::content)
                .containsExactly("m1");
        assertThat(conversations.recentMessages(a.user(), a.session().id(), 2, 9)).isEmpty();
        assertThat(conversations.recentMessages(b.user(), a.session().id(), 2, 0)).isEmpty();
        assertThatThrownBy(() -> conversations.recentMessages(a.user(), a.session().id(), 2, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mark_read_counts_the_messages_it_marked_once() {
        userSays(a, "one", 1, null);
        userSays(a, "two", 2, null);
        assertThat(stores().conversations().markRead(b.user(), a.session().id(), T0.plusSeconds(3))).isZero();
        assertThat(stores().conversations().markRead(a.user(), a.session().id(), T0.plusSeconds(3))).isEqualTo(2);
        assertThat(stores().conversations().markRead(a.user(), a.session().id(), T0.plusSeconds(4))).isZero();
        userSays(a, "three", 5, null);
        assertThat(stores().conversations().markRead(a.user(), a.session().id(), T0.plusSeconds(6))).isEqualTo(1);
    }

    @Test
    void a_reply_can_be_stored_under_the_id_allocated_before_its_text_existed() {
        ChatMessage question = userSays(a, "tell me", 1, null);
        MessageId allocated = MessageId.random();
        NewMessage r = reply(a, question, "a story", 2);
        ChatMessage stored = answer(a, question, new NewMessage(allocated, r.userId(), r.sessionId(),
                r.role(), r.content(), r.sentAt(), null, r.replyTo(), false, r.model(), r.usage(), r.latency()), List.of());
        assertThat(stored.id()).isEqualTo(allocated);
        assertThat(stores().conversations().findReplyTo(a.user(), question.id()).orElseThrow().id()).isEqualTo(allocated);
    }

    @Test
    void append_is_idempotent_on_client_msg_id() {
        AppendResult first = stores().conversations().append(NewMessage.fromUser(a.user(), a.session().id(),
                MessageRole.USER, "hello", T0, "c-1"));
        AppendResult again = stores().conversations().append(NewMessage.fromUser(a.user(), a.session().id(),
                MessageRole.USER, "hello (retry)", T0.plusSeconds(1), "c-1"));
        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.message()).isEqualTo(first.message());
        assertThat(stores().conversations().findByClientMsgId(a.user(), a.session().id(), "c-1")).contains(first.message());
        assertThat(stores().conversations().countUserMessages(a.user(), a.session().id())).isEqualTo(1);
    }

    /** Stores a reply to {@code question} through the turn commit, with its jobs and no affinity change. */
    private ChatMessage answer(Fixtures.UserWorld w, ChatMessage question, NewMessage reply, List<JobRequest> jobs) {
        return stores().turns().commit(w.user(), w.instance().id(), question.id(), reply.sentAt(),
                stored -> Optional.of(new TurnStore.Outcome.Reply(reply, jobs, null, null, List.of()))).reply().orElseThrow();
    }

    @Test
    void a_reply_stores_every_column_and_enqueues_its_jobs() {
        ChatMessage question = userSays(a, "how are you?", 1, "c-2");
        JobRequest job = new JobRequest("memory_extraction", a.user(), "{\"m\":1}", "mem:" + question.id(), T0);
        ChatMessage answer = answer(a, question, reply(a, question, "fine", 2), List.of(job));

        assertThat(answer.replyTo()).isEqualTo(question.id());
        assertThat(answer.truncated()).isTrue();
        assertThat(answer.model()).isEqualTo("some/model");
        assertThat(answer.usage()).isEqualTo(new TokenUsage(120, 30));
        assertThat(answer.latency()).isEqualTo(Duration.ofMillis(850));
        assertThat(stores().conversations().findMessage(a.user(), answer.id())).contains(answer);
        assertThat(stores().conversations().findReplyTo(a.user(), question.id())).contains(answer);
        List<Job> claimed = stores().jobs().claim("w", 1000, Duration.ofMinutes(1), 8, T0.plusSeconds(5));
        assertThat(claimed).extracting(Job::dedupKey).contains("mem:" + question.id());
    }

    @Test
    void history_pages_backwards_with_a_cursor_oldest_first() {
        for (int i = 0; i < 5; i++) userSays(a, "m" + i, i, null);
        HistoryPage newest = stores().conversations().history(a.user(), a.session().id(), 2, null);
        assertThat(newest.messages()).extracting(ChatMessage::content).containsExactly("m3", "m4");
        HistoryPage older = stores().conversations().history(a.user(), a.session().id(), 2, newest.nextBefore());
        assertThat(older.messages()).extracting(ChatMessage::content).containsExactly("m1", "m2");
        HistoryPage oldest = stores().conversations().history(a.user(), a.session().id(), 2, older.nextBefore());
        assertThat(oldest.messages()).extracting(ChatMessage::content).containsExactly("m0");
        assertThat(oldest.nextBefore()).isNull();
    }

    @Test
    void ghosting_and_previous_user_message_time() {
        ChatMessage first = userSays(a, "one", 1, null);
        ChatMessage second = userSays(a, "two", 100, null);
        stores().turns().commit(a.user(), a.instance().id(), second.id(), T0.plusSeconds(100), stored -> Optional.of(
                new TurnStore.Outcome.Ghost(new AffinityTransition(stored.withGhost(T0.plusSeconds(100)), List.of()), null, List.of())));
        assertThat(stores().conversations().findMessage(a.user(), second.id()).orElseThrow().ghosted()).isTrue();
        assertThat(stores().conversations().previousUserMessageAt(a.user(), a.instance().id(), second.id()))
                .contains(first.sentAt());
        assertThat(stores().conversations().previousUserMessageAt(b.user(), b.instance().id(), null)).isEmpty();
    }

    // ---- isolation, method by method

    @Test
    void user_b_cannot_read_user_a_instances_sessions_or_messages() {
        ChatMessage m = userSays(a, "private", 1, "c-9");
        ChatMessage r = answer(a, m, reply(a, m, "answer", 2), List.of());
        var conv = stores().conversations();
        assertThat(conv.findInstance(b.user(), a.instance().id())).isEmpty();
        assertThat(conv.latestSession(b.user(), a.instance().id())).isEmpty();
        assertThat(conv.findSession(b.user(), a.session().id())).isEmpty();
        assertThat(conv.listSessions(b.user())).extracting(s -> s.session().id()).containsExactly(b.session().id());
        assertThat(conv.findMessage(b.user(), m.id())).isEmpty();
        assertThat(conv.findByClientMsgId(b.user(), a.session().id(), "c-9")).isEmpty();
        assertThat(conv.findReplyTo(b.user(), m.id())).isEmpty();
        assertThat(conv.history(b.user(), a.session().id(), 10, null).messages()).isEmpty();
        assertThat(conv.history(b.user(), a.session().id(), 10, r.id()).messages()).isEmpty();
        assertThat(conv.countUserMessages(b.user(), a.session().id())).isZero();
        assertThat(conv.previousUserMessageAt(b.user(), a.instance().id(), null)).isEmpty();
    }

    @Test
    void user_b_cannot_write_into_user_a_instance_session_or_messages() {
        ChatMessage m = userSays(a, "private", 1, null);
        var conv = stores().conversations();
        assertThatThrownBy(() -> conv.startSession(b.user(), a.instance().id(), false, T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> conv.append(NewMessage.fromUser(b.user(), a.session().id(), MessageRole.USER, "x", T0, null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> conv.append(reply(b, m, "reply to A's message", 2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(conv.history(a.user(), a.session().id(), 10, null).messages()).containsExactly(m);
        // instanceFor of the same persona gives B its own instance, never A's
        assertThat(conv.instanceFor(b.user(), a.instance().personaId(), T0).id()).isEqualTo(b.instance().id());
    }

    NewMessage unprompted(Fixtures.UserWorld w, String text, int second) {
        return new NewMessage(null, w.user(), w.session().id(), MessageRole.ASSISTANT, text, T0.plusSeconds(second), null,
                null, false, "some/model", new TokenUsage(90, 12), Duration.ofMillis(400));
    }

    @Test
    void an_app_open_event_is_stored_once_with_its_message_and_a_repeat_returns_the_first() {
        var conversations = stores().conversations();
        AppOpenEvent first = conversations.recordAppOpen(a.user(), a.session().id(), "open-1", "greeting",
                unprompted(a, "hey, you're back", 30), T0.plusSeconds(30));
        AppOpenEvent repeat = conversations.recordAppOpen(a.user(), a.session().id(), "open-1", "memory",
                unprompted(a, "a second text", 40), T0.plusSeconds(40));
        assertThat(repeat).isEqualTo(first);
        assertThat(first.message().orElseThrow().content()).isEqualTo("hey, you're back");
        assertThat(first.message().orElseThrow().replyTo()).isNull();
        assertThat(conversations.findAppOpen(a.user(), a.session().id(), "open-1")).contains(first);
        assertThat(conversations.history(a.user(), a.session().id(), 10, null).messages()).extracting(ChatMessage::content)
                .containsExactly("hey, you're back");
        assertThat(conversations.lastSpokeFirstAt(a.user(), a.instance().id())).contains(T0.plusSeconds(30));
    }

    @Test
    void a_quiet_app_open_stores_no_message_and_replies_do_not_count_as_speaking_first() {
        var conversations = stores().conversations();
        ChatMessage hello = userSays(a, "hello", 1, null);
        conversations.append(reply(a, hello, "hi", 2));
        AppOpenEvent quiet = conversations.recordAppOpen(a.user(), a.session().id(), "open-q", AppOpenEvent.QUIET, null,
                T0.plusSeconds(3));
        assertThat(quiet.message()).isEmpty();
        assertThat(conversations.findAppOpen(a.user(), a.session().id(), "open-q")).contains(quiet);
        assertThat(conversations.lastSpokeFirstAt(a.user(), a.instance().id())).isEmpty();
        assertThat(conversations.history(a.user(), a.session().id(), 10, null).messages()).hasSize(2);
    }

    @Test
    void user_b_can_neither_read_nor_record_user_a_app_open_events() {
        var conversations = stores().conversations();
        conversations.recordAppOpen(a.user(), a.session().id(), "open-1", AppOpenEvent.QUIET, null, T0);
        assertThat(conversations.findAppOpen(b.user(), a.session().id(), "open-1")).isEmpty();
        assertThatThrownBy(() -> conversations.recordAppOpen(b.user(), a.session().id(), "open-2", AppOpenEvent.QUIET,
                null, T0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(conversations.lastSpokeFirstAt(b.user(), a.instance().id())).isEmpty();
    }

    @Test
    void the_proactive_switch_is_on_until_the_user_turns_it_off_and_is_per_user() {
        var conversations = stores().conversations();
        assertThat(conversations.proactiveEnabled(a.user())).isTrue();
        conversations.setProactiveEnabled(a.user(), false, T0);
        assertThat(conversations.proactiveEnabled(a.user())).isFalse();
        assertThat(conversations.proactiveEnabled(b.user())).isTrue();
        conversations.setProactiveEnabled(a.user(), true, T0.plusSeconds(1));
        assertThat(conversations.proactiveEnabled(a.user())).isTrue();
    }

    @Test
    void the_user_time_zone_is_unset_until_stored_is_cleared_by_null_and_keeps_the_proactive_switch() {
        var conversations = stores().conversations();
        assertThat(conversations.userTimezone(a.user())).isEmpty();
        conversations.setUserTimezone(a.user(), java.time.ZoneId.of("Pacific/Auckland"), T0);
        assertThat(conversations.userTimezone(a.user())).contains(java.time.ZoneId.of("Pacific/Auckland"));
        assertThat(conversations.userTimezone(b.user())).isEmpty();
        assertThat(conversations.proactiveEnabled(a.user())).isTrue();

        conversations.setProactiveEnabled(a.user(), false, T0.plusSeconds(1));
        assertThat(conversations.userTimezone(a.user())).contains(java.time.ZoneId.of("Pacific/Auckland"));
        conversations.setUserTimezone(a.user(), java.time.ZoneId.of("America/St_Johns"), T0.plusSeconds(2));
        assertThat(conversations.proactiveEnabled(a.user())).isFalse();
        assertThat(conversations.userTimezone(a.user())).contains(java.time.ZoneId.of("America/St_Johns"));

        conversations.setUserTimezone(a.user(), null, T0.plusSeconds(3));
        assertThat(conversations.userTimezone(a.user())).isEmpty();
        assertThat(conversations.proactiveEnabled(a.user())).isFalse();
    }

    /** Bounds loose enough never to refuse in these tests. */
    private static final ProactiveLimits LOOSE = new ProactiveLimits(T0, 100, 100);

    ChatMessage storedProactive(String key, NewMessage message) {
        ProactiveWrite write = stores().conversations().recordProactive(key, message, LOOSE);
        assertThat(write).isInstanceOf(ProactiveWrite.Stored.class);
        return ((ProactiveWrite.Stored) write).message();
    }

    @Test
    void a_proactive_message_is_stored_once_per_key_and_counts_until_the_user_answers() {
        var conversations = stores().conversations();
        ChatMessage first = storedProactive("proactive:1", unprompted(a, "how did the interview go?", 30));
        ProactiveWrite repeat = conversations.recordProactive("proactive:1", unprompted(a, "a second text", 40), LOOSE);
        assertThat(repeat).isEqualTo(new ProactiveWrite.AlreadyStored(first));
        assertThat(first.replyTo()).isNull();
        assertThat(conversations.findProactive(a.user(), "proactive:1")).contains(first);
        assertThat(conversations.findProactive(b.user(), "proactive:1")).isEmpty();
        assertThat(conversations.history(a.user(), a.session().id(), 10, null).messages()).extracting(ChatMessage::content)
                .containsExactly("how did the interview go?");
        assertThat(conversations.lastSpokeFirstAt(a.user(), a.instance().id())).contains(T0.plusSeconds(30));
        storedProactive("proactive:2", unprompted(a, "still there?", 50));
        assertThat(conversations.countProactiveSince(a.user(), T0)).isEqualTo(2);
        assertThat(conversations.countProactiveSince(a.user(), T0.plusSeconds(31))).isEqualTo(1);
        assertThat(conversations.countProactiveSince(b.user(), T0)).isZero();
        assertThat(conversations.unansweredProactive(a.user(), a.instance().id())).isEqualTo(2);
        userSays(a, "sorry, busy week", 60, null);
        assertThat(conversations.unansweredProactive(a.user(), a.instance().id())).isZero();
        storedProactive("proactive:3", unprompted(a, "good luck today", 70));
        assertThat(conversations.unansweredProactive(a.user(), a.instance().id())).isEqualTo(1);
        assertThat(conversations.unansweredProactive(b.user(), a.instance().id())).isZero();
    }

    @Test
    void a_proactive_message_over_the_daily_cap_is_refused_and_the_day_start_decides_what_counts() {
        var conversations = stores().conversations();
        storedProactive("proactive:1", unprompted(a, "morning!", 30));
        ProactiveLimits onePerDay = new ProactiveLimits(T0, 1, 100);
        assertThat(conversations.recordProactive("proactive:2", unprompted(a, "again?", 40), onePerDay))
                .isEqualTo(new ProactiveWrite.Refused("1 proactive messages today (at most 1)"));
        assertThat(conversations.findProactive(a.user(), "proactive:2")).isEmpty();
        assertThat(conversations.history(a.user(), a.session().id(), 10, null).messages()).hasSize(1);
        // the next day counts from its own start; another user's cap is theirs
        assertThat(conversations.recordProactive("proactive:2", unprompted(a, "next day", 40), new ProactiveLimits(T0.plusSeconds(31), 1, 100)))
                .isInstanceOf(ProactiveWrite.Stored.class);
        assertThat(conversations.recordProactive("proactive:1", unprompted(b, "hi b", 40), onePerDay))
                .isInstanceOf(ProactiveWrite.Stored.class);
        // a repeat of a stored key returns the message even when the cap is reached
        assertThat(conversations.recordProactive("proactive:1", unprompted(a, "repeat", 50), new ProactiveLimits(T0, 0, 100)))
                .isInstanceOf(ProactiveWrite.AlreadyStored.class);
    }

    @Test
    void a_proactive_message_after_too_many_unanswered_ones_is_refused_until_the_user_writes() {
        var conversations = stores().conversations();
        ProactiveLimits twoUnanswered = new ProactiveLimits(T0, 100, 2);
        assertThat(conversations.recordProactive("p:1", unprompted(a, "one", 10), twoUnanswered)).isInstanceOf(ProactiveWrite.Stored.class);
        assertThat(conversations.recordProactive("p:2", unprompted(a, "two", 20), twoUnanswered)).isInstanceOf(ProactiveWrite.Stored.class);
        assertThat(conversations.recordProactive("p:3", unprompted(a, "three", 30), twoUnanswered))
                .isEqualTo(new ProactiveWrite.Refused("2 proactive messages unanswered in a row (at most 2)"));
        userSays(a, "I'm here", 40, null);
        assertThat(conversations.recordProactive("p:3", unprompted(a, "three", 50), twoUnanswered)).isInstanceOf(ProactiveWrite.Stored.class);
    }

    @Test
    void racing_proactive_messages_of_one_user_store_exactly_as_many_as_the_cap_allows() throws Exception {
        var conversations = stores().conversations();
        var personas = new ArrayList<ChatSession>();
        for (int i = 0; i < 4; i++) {
            var instance = conversations.instanceFor(a.user(), stores().personas().upsert(Fixtures.persona("Race-" + i)).id(), T0);
            personas.add(conversations.startSession(a.user(), instance.id(), false, T0));
        }
        ProactiveLimits onePerDay = new ProactiveLimits(T0, 1, 100);
        ExecutorService pool = Executors.newFixedThreadPool(personas.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ProactiveWrite>> writes = new ArrayList<>();
            for (ChatSession s : personas) {
                writes.add(pool.submit(() -> {
                    go.await();
                    return conversations.recordProactive("race:" + s.id(), new NewMessage(null, a.user(), s.id(), MessageRole.ASSISTANT,
                            "racing", T0.plusSeconds(5), null, null, false, "m", null, null), onePerDay);
                }));
            }
            go.countDown();
            List<ProactiveWrite> results = new ArrayList<>();
            for (Future<ProactiveWrite> w : writes) results.add(w.get(30, TimeUnit.SECONDS));
            assertThat(results).filteredOn(r -> r instanceof ProactiveWrite.Stored).hasSize(1);
            assertThat(results).filteredOn(r -> r instanceof ProactiveWrite.Refused).hasSize(3);
        } finally {
            pool.shutdownNow();
        }
        assertThat(conversations.countProactiveSince(a.user(), T0)).isEqualTo(1);
    }

    @Test
    void a_stored_proactive_message_is_announced_once_to_listeners_until_they_close() throws Exception {
        var conversations = stores().conversations();
        List<StoredProactive> heard = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(1);
        ChatMessage stored;
        try (var subscription = conversations.onProactiveStored(n -> {
            heard.add(n);
            first.countDown();
        })) {
            stored = storedProactive("proactive:1", unprompted(a, "hello from me", 30));
            conversations.recordProactive("proactive:1", unprompted(a, "repeat", 40), LOOSE);
            conversations.recordProactive("proactive:2", unprompted(a, "refused", 40), new ProactiveLimits(T0, 1, 100));
            assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
            // a later notice would be a stored one, so one more stored message fences the ones that must not come
            ChatMessage fence = storedProactive("proactive:3", unprompted(b, "fence", 50));
            awaitUntil(() -> heard.size() >= 2);
            assertThat(heard).containsExactly(new StoredProactive(a.user(), stored.id()), new StoredProactive(b.user(), fence.id()));
        }
        storedProactive("proactive:4", unprompted(a, "after close", 60));
        assertThat(heard).hasSize(2);
    }

    @Test
    void proactive_messages_after_a_given_one_are_the_users_own_oldest_first() {
        var conversations = stores().conversations();
        ChatMessage one = storedProactive("p:1", unprompted(a, "one", 10));
        ChatMessage two = storedProactive("p:2", unprompted(a, "two", 20));
        ChatMessage three = storedProactive("p:3", unprompted(a, "three", 30));
        ChatMessage bs = storedProactive("p:1", unprompted(b, "b's", 15));
        assertThat(conversations.proactiveAfter(a.user(), one.id(), 10)).containsExactly(two, three);
        assertThat(conversations.proactiveAfter(a.user(), one.id(), 1)).containsExactly(two);
        assertThat(conversations.proactiveAfter(a.user(), three.id(), 10)).isEmpty();
        assertThat(conversations.proactiveAfter(b.user(), one.id(), 10)).isEmpty(); // another user's id: nothing
        assertThat(conversations.proactiveAfter(a.user(), bs.id(), 10)).isEmpty();
        assertThat(conversations.proactiveAfter(a.user(), MessageId.random(), 10)).isEmpty();
        assertThatThrownBy(() -> conversations.proactiveAfter(a.user(), one.id(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out");
            Thread.sleep(10);
        }
    }

    @Test
    void a_proactive_message_must_be_unprompted_and_in_the_users_session() {
        var conversations = stores().conversations();
        ChatMessage hello = userSays(a, "hello", 1, null);
        assertThatThrownBy(() -> conversations.recordProactive("k", reply(a, hello, "hi", 2), LOOSE))
                .isInstanceOf(IllegalArgumentException.class);
        NewMessage intoAs = new NewMessage(null, b.user(), a.session().id(), MessageRole.ASSISTANT, "hi", T0, null, null,
                false, "m", null, null);
        assertThatThrownBy(() -> conversations.recordProactive("k", intoAs, LOOSE)).isInstanceOf(IllegalArgumentException.class);
        assertThat(conversations.findProactive(b.user(), "k")).isEmpty();
    }

    private NewMessage alternative(Fixtures.UserWorld w, ChatMessage to, String text, int second, String clientMsgId) {
        return new NewMessage(null, w.user(), w.session().id(), MessageRole.ASSISTANT, text, T0.plusSeconds(second),
                clientMsgId, to.id(), false, "some/model", new TokenUsage(10, 5), Duration.ofMillis(100));
    }

    @Test
    void an_alternative_reply_is_selected_and_the_previous_one_stays_in_history_unselected() {
        var conversations = stores().conversations();
        ChatMessage hello = userSays(a, "hello", 1, null);
        ChatMessage first = conversations.append(reply(a, hello, "hi", 2)).message();
        assertThat(first.selected()).isTrue();

        AppendResult second = conversations.appendAlternative(alternative(a, hello, "hey there", 3, "regen-1"));
        assertThat(second.created()).isTrue();
        assertThat(conversations.findReplyTo(a.user(), hello.id())).contains(second.message());
        assertThat(conversations.history(a.user(), a.session().id(), 10, null).messages())
                .extracting(ChatMessage::content, ChatMessage::selected)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hello", true), org.assertj.core.groups.Tuple.tuple("hi", false),
                        org.assertj.core.groups.Tuple.tuple("hey there", true));

        AppendResult repeat = conversations.appendAlternative(alternative(a, hello, "another text", 4, "regen-1"));
        assertThat(repeat.created()).isFalse();
        assertThat(repeat.message().id()).isEqualTo(second.message().id());
        assertThat(conversations.history(a.user(), a.session().id(), 10, null).messages()).hasSize(3);
    }

    @Test
    void selecting_an_alternative_unselects_the_others() {
        var conversations = stores().conversations();
        ChatMessage hello = userSays(a, "hello", 1, null);
        ChatMessage first = conversations.append(reply(a, hello, "hi", 2)).message();
        ChatMessage second = conversations.appendAlternative(alternative(a, hello, "hey there", 3, null)).message();

        assertThat(conversations.selectReply(a.user(), first.id()).orElseThrow().selected()).isTrue();
        assertThat(conversations.findReplyTo(a.user(), hello.id()).orElseThrow().id()).isEqualTo(first.id());
        assertThat(conversations.findMessage(a.user(), second.id()).orElseThrow().selected()).isFalse();
        assertThat(conversations.selectReply(a.user(), first.id()).orElseThrow().id()).isEqualTo(first.id());
        assertThat(conversations.selectReply(a.user(), hello.id())).isEmpty();
        assertThat(conversations.selectReply(b.user(), second.id())).isEmpty();
    }

    @Test
    void an_alternative_needs_a_message_with_a_selected_reply_of_the_same_user() {
        var conversations = stores().conversations();
        ChatMessage unanswered = userSays(a, "hello", 1, null);
        assertThatThrownBy(() -> conversations.appendAlternative(alternative(a, unanswered, "hi", 2, null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(conversations.history(a.user(), a.session().id(), 10, null).messages()).hasSize(1);
    }
}
