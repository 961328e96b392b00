package io.erosengine.store.contract;

import static io.erosengine.store.contract.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.ChatSession;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.PersonaId;
import io.erosengine.core.model.TokenUsage;
import io.erosengine.core.port.AppendResult;
import io.erosengine.core.port.EngineStores;
import io.erosengine.core.port.HistoryPage;
import io.erosengine.core.port.Job;
import io.erosengine.core.port.JobRequest;
import io.erosengine.core.port.NewMessage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ConversationStore contract, run against every store. */
abstract class ConversationStoreContract {
    abstract EngineStores stores();

    private Fixtures.UserWorld a;
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
        return new NewMessage(w.user(), w.session().id(), MessageRole.ASSISTANT, text, T0.plusSeconds(second), null,
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

    @Test
    void append_reply_stores_every_column_and_enqueues_its_jobs() {
        ChatMessage question = userSays(a, "how are you?", 1, "c-2");
        JobRequest job = new JobRequest("memory_extraction", a.user(), "{\"m\":1}", "mem:" + question.id(), T0);
        ChatMessage answer = stores().conversations().appendReply(reply(a, question, "fine", 2), List.of(job));

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
    void append_reply_with_a_bad_job_stores_neither() {
        ChatMessage question = userSays(a, "hi", 1, null);
        JobRequest foreign = new JobRequest("memory_extraction", b.user(), "{}", "x:" + question.id(), T0);
        assertThatThrownBy(() -> stores().conversations().appendReply(reply(a, question, "hey", 2), List.of(foreign)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(stores().conversations().findReplyTo(a.user(), question.id())).isEmpty();
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
        stores().conversations().markGhosted(a.user(), second.id());
        assertThat(stores().conversations().findMessage(a.user(), second.id()).orElseThrow().ghosted()).isTrue();
        assertThat(stores().conversations().previousUserMessageAt(a.user(), a.instance().id(), second.id()))
                .contains(first.sentAt());
        assertThat(stores().conversations().previousUserMessageAt(b.user(), b.instance().id(), null)).isEmpty();
    }

    // ---- isolation, method by method

    @Test
    void user_b_cannot_read_user_a_instances_sessions_or_messages() {
        ChatMessage m = userSays(a, "private", 1, "c-9");
        ChatMessage r = stores().conversations().appendReply(reply(a, m, "answer", 2), List.of());
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
        assertThatThrownBy(() -> conv.appendReply(reply(b, m, "reply to A's message", 2), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        conv.markGhosted(b.user(), m.id());
        assertThat(conv.findMessage(a.user(), m.id()).orElseThrow().ghosted()).isFalse();
        assertThat(conv.history(a.user(), a.session().id(), 10, null).messages()).containsExactly(m);
        // instanceFor of the same persona gives B its own instance, never A's
        assertThat(conv.instanceFor(b.user(), a.instance().personaId(), T0).id()).isEqualTo(b.instance().id());
    }
}
