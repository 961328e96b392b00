package io.erosengine.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TimeExpressionsProperties {
    private static final List<String> WORDS = List.of("yesterday", "today", "tomorrow", "last", "this", "next", "week",
            "weekend", "month", "year", "summer", "winter", "in", "on", "the", "of", "ago", "days", "weeks", "a", "few",
            "couple", "3", "31", "29", "February", "May", "December", "2023", "1999", "Tuesday", "Sunday", "night",
            "morning", "tonight", "recently", "when", "did", "I", "since", "hike", "Miso", ",", "!", "2nd", "12th");

    @Property(tries = 2000)
    void any_text_parses_to_a_non_empty_window_and_absolutizing_twice_changes_nothing_more(
            @ForAll("texts") String text, @ForAll("instants") Instant now, @ForAll("zones") ZoneId zone) {
        TimeQuery q = TimeExpressions.parse(text, now, zone);
        q.window().ifPresent(w -> {
            assertThat(w.range().from()).isBefore(w.range().to());
            assertThat(text).contains(w.phrase());
        });
        String absolute = TimeExpressions.absolutize(text, now, zone);
        assertThat(TimeExpressions.absolutize(absolute, now.plusSeconds(86_400L * 400), zone)).isEqualTo(absolute);
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(Arbitraries.of(WORDS).list().ofMaxSize(8).map(ws -> String.join(" ", ws)),
                Arbitraries.strings().ofMaxLength(40));
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(0, 4_102_444_800L).map(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<ZoneId> zones() {
        return Arbitraries.of("UTC", "Europe/Berlin", "Asia/Tokyo", "America/Santiago", "Australia/Lord_Howe", "Pacific/Kiritimati")
                .map(ZoneId::of);
    }
}
