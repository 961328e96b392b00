package io.erosengine.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.port.EngineStores;
import io.erosengine.core.port.StoredProactive;
import io.erosengine.store.testing.TestDatabase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresConversationStoreTest extends ConversationStoreContract {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @Override
    EngineStores stores() { return DB.stores(); }

    @Test
    void a_proactive_message_stored_while_the_listening_connection_is_lost_is_announced_once_it_listens_again()
            throws Exception {
        List<StoredProactive> heard = new CopyOnWriteArrayList<>();
        try (var subscription = stores().conversations().onProactiveStored(heard::add)) {
            ChatMessage before = storedProactive("gap:1", unprompted(a, "before the gap", 10));
            awaitUntil(() -> heard.contains(new StoredProactive(a.user(), before.id())));

            assertThat(DB.dropListeningConnections()).isEqualTo(1);
            ChatMessage during = storedProactive("gap:2", unprompted(a, "during the gap", 20)); // its NOTIFY reaches nobody

            awaitUntil(() -> heard.contains(new StoredProactive(a.user(), during.id())));
            // the catch-up announces what any test stored in the gap and the minute before it, so repeats come too
            assertThat(heard).filteredOn(n -> n.userId().equals(a.user())).containsOnly(new StoredProactive(a.user(), before.id()), new StoredProactive(a.user(), during.id()));
        }
    }
}
