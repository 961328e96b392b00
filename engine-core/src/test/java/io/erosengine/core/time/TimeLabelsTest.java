package io.erosengine.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeLabelsTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @ParameterizedTest(name = "{0} seen on {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            2023-05-10T08:00 | 2023-05-10T23:00 | today
            2023-05-09T23:59 | 2023-05-10T00:01 | yesterday
            2023-05-07T12:00 | 2023-05-10T12:00 | 3 days ago
            2023-04-27T12:00 | 2023-05-10T12:00 | 13 days ago
            2023-04-19T12:00 | 2023-05-10T12:00 | 3 weeks ago
            2023-03-12T12:00 | 2023-05-10T12:00 | 8 weeks ago
            2023-03-10T12:00 | 2023-05-10T12:00 | 2 months ago
            2022-06-10T12:00 | 2023-05-10T12:00 | 11 months ago
            2022-05-10T12:00 | 2023-05-10T12:00 | a year ago
            2020-12-31T12:00 | 2023-05-10T12:00 | 2 years ago
            2023-05-11T09:00 | 2023-05-10T12:00 | tomorrow
            2023-05-31T09:00 | 2023-05-10T12:00 | in 3 weeks
            """)
    void relative_hints_count_whole_local_days_weeks_months_and_years(String then, String now, String expected) {
        assertThat(TimeLabels.relative(at(then), at(now), BERLIN)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} in {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            2023-05-08T10:00:00Z | Europe/Berlin | on 8 May 2023
            2023-05-08T23:30:00Z | Asia/Tokyo    | on 9 May 2023
            2023-05-08T03:00:00Z | America/Los_Angeles | on 7 May 2023
            """)
    void a_date_is_written_in_the_zone_it_is_read_in(String instant, String zone, String expected) {
        assertThat(TimeLabels.onDate(Instant.parse(instant), ZoneId.of(zone))).isEqualTo(expected);
    }

    private static Instant at(String local) { return LocalDateTime.parse(local).atZone(BERLIN).toInstant(); }
}
