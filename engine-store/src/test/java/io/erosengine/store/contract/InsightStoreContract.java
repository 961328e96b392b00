package io.erosengine.store.contract;

import static io.erosengine.store.contract.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.erosengine.core.model.UserId;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.port.EngineStores;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The InsightStore contract, run against every store. */
abstract class InsightStoreContract {
    abstract EngineStores stores();

    @Test
    void an_unknown_user_has_empty_insights() {
        assertThat(stores().insights().load(UserId.random())).isEqualTo(UserInsights.EMPTY);
    }

    @Test
    void the_extended_profile_fields_are_stored_and_merged() {
        UserId u = UserId.random();
        stores().insights().merge(u, new UserInsights(null, null, List.of(), List.of(), null, null, null, null, "Algarve",
                "Porto", "Portuguese", "nursing degree", "two sisters", "one long relationship", "a few close friends",
                "move abroad", "saving up", "women", 25, 35, List.of("smoking")), T0);
        UserInsights merged = stores().insights().merge(u, new UserInsights(null, null, List.of(), List.of(), null, null,
                null, null, "Lisbon", null, null, null, null, null, null, null, null, null, null, 40,
                List.of("rudeness")), T0.plusSeconds(1));

        UserInsights expected = new UserInsights(null, null, List.of(), List.of(), null, null, null, null, "Lisbon",
                "Porto", "Portuguese", "nursing degree", "two sisters", "one long relationship", "a few close friends",
                "move abroad", "saving up", "women", null, 40, List.of("smoking", "rudeness"));
        assertThat(merged).isEqualTo(expected);
        assertThat(stores().insights().load(u)).isEqualTo(expected);
    }

    @Test
    void merge_replaces_non_blank_scalars_and_unions_lists() {
        UserId u = UserId.random();
        stores().insights().merge(u, new UserInsights("Lyon", "nurse", List.of("jazz"), List.of("shy"), null, null, null,
                null), T0);
        UserInsights merged = stores().insights().merge(u, new UserInsights("Paris", " ", List.of("Jazz", "chess"),
                List.of(), "reassurance", null, null, "INFP"), T0.plusSeconds(1));

        UserInsights expected = new UserInsights("Paris", "nurse", List.of("jazz", "chess"), List.of("shy"),
                "reassurance", null, null, "INFP");
        assertThat(merged).isEqualTo(expected);
        assertThat(stores().insights().load(u)).isEqualTo(expected);
    }

    @Test
    void user_b_can_neither_read_nor_change_user_a_insights() {
        UserId a = UserId.random();
        UserId b = UserId.random();
        stores().insights().merge(a, new UserInsights("Lyon", null, List.of("jazz"), List.of(), null, null, null, null), T0);
        assertThat(stores().insights().load(b)).isEqualTo(UserInsights.EMPTY);
        stores().insights().merge(b, new UserInsights("Rome", null, List.of(), List.of(), null, null, null, null), T0);
        assertThat(stores().insights().load(a).city()).isEqualTo("Lyon");
    }

    @Test
    void concurrent_merges_lose_no_list_entry() throws Exception {
        UserId u = UserId.random();
        Thread[] threads = new Thread[8];
        for (int i = 0; i < threads.length; i++) {
            String interest = "interest-" + i;
            threads[i] = new Thread(() -> stores().insights().merge(u,
                    new UserInsights(null, null, List.of(interest), List.of(), null, null, null, null), T0));
            threads[i].start();
        }
        for (Thread t : threads) t.join();
        assertThat(stores().insights().load(u).interests()).hasSize(8);
    }
}
