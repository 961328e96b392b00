package io.erosengine.runtime;

import io.erosengine.core.affinity.AffinityRecord;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.EngineStores;
import io.erosengine.core.port.NewMessage;
import io.erosengine.core.port.TurnStore;
import io.erosengine.store.postgres.PostgresStores;
import io.erosengine.testkit.DeterministicEmbedder;
import io.erosengine.testkit.ScriptedChatModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * A process that runs one turn on Postgres and stops dead at a given point, for the crash test:
 * it prints {@link #MARK} and waits there to be killed with SIGKILL. Arguments: JDBC URL, user id,
 * session id, message, client_msg_id, the point ({@code after-start}, {@code in-commit},
 * {@code after-commit}), and the clock's instant.
 */
final class TurnCrashChild {
    static final String MARK = "AT-CRASH-POINT";

    public static void main(String[] args) throws Exception {
        String point = args[5];
        var pool = PostgresStores.pool(args[0], null, null, 2);
        EngineStores real = PostgresStores.create(pool);
        TurnStore turns = new Stopping(real.turns(), point);
        EngineStores stores = new EngineStores(real.personas(), real.conversations(), real.affinity(), real.memories(),
                real.insights(), real.jobs(), real.users(), turns, real.extractions());
        CompanionEngine engine = CompanionEngine.builder().stores(stores).chatModel(new ScriptedChatModel())
                .embeddingModel(new DeterministicEmbedder()).clock(Clock.fixed(Instant.parse(args[6]), ZoneOffset.UTC))
                .workers(0).build();
        engine.send(new UserId(UUID.fromString(args[1])), new SessionId(UUID.fromString(args[2])), args[3], args[4]);
        System.out.println("FINISHED");
    }

    /** Stops at the point: prints the mark and sleeps until killed. */
    private static void stop() {
        System.out.println(MARK);
        System.out.flush();
        try {
            Thread.sleep(Duration.ofMinutes(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(3); // never reached when the test kills us
    }

    private record Stopping(TurnStore delegate, String point) implements TurnStore {
        @Override
        public TurnStart start(NewMessage message, int maxTurnsPerUser, Duration lease, Instant now) {
            TurnStart s = delegate.start(message, maxTurnsPerUser, lease, now);
            if (point.equals("after-start")) stop();
            return s;
        }

        @Override
        public Committed commit(UserId userId, InstanceId instanceId, MessageId messageId, Instant now,
                                Function<AffinityRecord, Optional<Outcome>> decide) {
            Committed c = delegate.commit(userId, instanceId, messageId, now, stored -> {
                Optional<Outcome> outcome = decide.apply(stored);
                if (point.equals("in-commit")) stop(); // inside the open transaction, its locks held
                return outcome;
            });
            if (point.equals("after-commit")) stop();
            return c;
        }

        @Override
        public void release(UserId userId, MessageId messageId) { delegate.release(userId, messageId); }
    }
}
