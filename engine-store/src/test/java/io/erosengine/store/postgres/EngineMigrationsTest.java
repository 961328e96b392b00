package io.erosengine.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.erosengine.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Migrations: the dimension placeholder, idempotence, and setting validation. */
class EngineMigrationsTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase(8);

    @Test
    void the_embedding_dimension_is_a_placeholder() throws Exception {
        assertThat(ColumnTypes.of(DB.dataSource(), "companion_memories", "embedding")).isEqualTo("halfvec(8)");
    }

    @Test
    void migrating_again_applies_nothing() {
        assertThat(EngineMigrations.migrate(DB.dataSource(), 8, "public")).isZero();
    }

    @Test
    void embeddings_of_another_dimension_are_rejected() {
        var scope = io.erosengine.core.memory.MemoryScope.profile(io.erosengine.core.model.UserId.random());
        assertThatThrownBy(() -> DB.stores().memories().search(scope, new float[512], "m", 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8 dimensions");
    }

    @Test
    void bad_settings_are_rejected_before_touching_the_database() {
        assertThatThrownBy(() -> EngineMigrations.migrate(DB.dataSource(), 0, "public"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EngineMigrations.migrate(DB.dataSource(), 512, "public; drop table x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
