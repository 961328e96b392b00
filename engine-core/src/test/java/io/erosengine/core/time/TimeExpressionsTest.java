package io.erosengine.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeExpressionsTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** Wednesday 10 May 2023, 15:00 in Berlin. */
    private static final Instant WEDNESDAY = Instant.parse("2023-05-10T13:00:00Z");

    private static TimeWindow window(String query, Instant now, ZoneId zone) {
        return TimeExpressions.parse(query, now, zone).window().orElseThrow(() -> new AssertionError("no window in " + query));
    }

    private static Instant local(String dateTime, ZoneId zone) { return LocalDateTime.parse(dateTime).atZone(zone).toInstant(); }

    @ParameterizedTest(name = "\"{0}\" on Wed 10 May 2023 -> [{1}, {2}) {3}")
    @CsvSource(delimiter = '|', textBlock = """
            what did I do yesterday?               | 2023-05-09T00:00 | 2023-05-10T00:00 | FILTER | yesterday
            the day before yesterday, remember?    | 2023-05-08T00:00 | 2023-05-09T00:00 | FILTER | the day before yesterday
            anything nice today                    | 2023-05-10T00:00 | 2023-05-11T00:00 | FILTER | today
            what do I have tomorrow                | 2023-05-11T00:00 | 2023-05-12T00:00 | FILTER | tomorrow
            what did I eat last night              | 2023-05-09T18:00 | 2023-05-10T06:00 | FILTER | last night
            where did I run this morning           | 2023-05-10T00:00 | 2023-05-11T00:00 | FILTER | this morning
            what did we eat tonight                | 2023-05-10T00:00 | 2023-05-11T06:00 | FILTER | tonight
            where do I go in a few weeks           | 2023-05-29T00:00 | 2023-06-05T00:00 | BOOST  | in a few weeks
            what did I do last week                | 2023-05-01T00:00 | 2023-05-08T00:00 | FILTER | last week
            anything planned this week             | 2023-05-08T00:00 | 2023-05-15T00:00 | FILTER | this week
            what did I do last weekend?            | 2023-05-06T00:00 | 2023-05-08T00:00 | FILTER | last weekend
            who did I see over the weekend         | 2023-05-06T00:00 | 2023-05-08T00:00 | FILTER | over the weekend
            what happened this month               | 2023-05-01T00:00 | 2023-06-01T00:00 | FILTER | this month
            what did I read last month             | 2023-04-01T00:00 | 2023-05-01T00:00 | FILTER | last month
            where did I travel in May              | 2023-05-01T00:00 | 2023-06-01T00:00 | FILTER | in May
            what did I do in December              | 2022-12-01T00:00 | 2023-01-01T00:00 | FILTER | in December
            where was I in May 2022                | 2022-05-01T00:00 | 2022-06-01T00:00 | FILTER | in May 2022
            what did I do on 8 May                 | 2023-05-08T00:00 | 2023-05-09T00:00 | FILTER | on 8 May
            what happened on May 12th              | 2022-05-12T00:00 | 2022-05-13T00:00 | FILTER | on May 12th
            what did I do on the 3rd of March 2021 | 2021-03-03T00:00 | 2021-03-04T00:00 | FILTER | on the 3rd of March 2021
            where did I go last summer             | 2022-06-01T00:00 | 2022-09-01T00:00 | BOOST  | last summer
            any plans this summer                  | 2023-06-01T00:00 | 2023-09-01T00:00 | BOOST  | this summer
            was I ill last winter                  | 2022-12-01T00:00 | 2023-03-01T00:00 | BOOST  | last winter
            what did I buy 3 days ago              | 2023-05-07T00:00 | 2023-05-08T00:00 | BOOST  | 3 days ago
            who did I meet two weeks ago           | 2023-04-24T00:00 | 2023-05-01T00:00 | BOOST  | two weeks ago
            what was I worried about a few months ago | 2023-02-01T00:00 | 2023-03-01T00:00 | BOOST | a few months ago
            where did I live a couple of years ago | 2021-01-01T00:00 | 2022-01-01T00:00 | BOOST  | a couple of years ago
            what did I achieve last year           | 2022-01-01T00:00 | 2023-01-01T00:00 | FILTER | last year
            what happened in 2022                  | 2022-01-01T00:00 | 2023-01-01T00:00 | FILTER | in 2022
            what have I been reading recently      | 2023-04-10T00:00 | 2023-05-11T00:00 | BOOST  | recently
            what did I cook on Tuesday             | 2023-05-09T00:00 | 2023-05-10T00:00 | FILTER | on Tuesday
            what did I do on Wednesday             | 2023-05-10T00:00 | 2023-05-11T00:00 | FILTER | on Wednesday
            what did I do last Wednesday           | 2023-05-03T00:00 | 2023-05-04T00:00 | FILTER | last Wednesday
            what's happening next Friday           | 2023-05-12T00:00 | 2023-05-13T00:00 | FILTER | next Friday
            LAST WEEKEND, what did I do            | 2023-05-06T00:00 | 2023-05-08T00:00 | FILTER | LAST WEEKEND
            """)
    void a_query_time_expression_resolves_to_a_half_open_local_range(String query, String from, String to, TimeUse use,
                                                                       String phrase) {
        TimeWindow w = window(query, WEDNESDAY, BERLIN);
        assertThat(w.range()).isEqualTo(new TimeRange(local(from, BERLIN), local(to, BERLIN)));
        assertThat(w.use()).isEqualTo(use);
        assertThat(w.phrase()).isEqualTo(phrase);
    }

    @ParameterizedTest(name = "\"{1}\" asked {0} -> [{2}, {3})")
    @CsvSource(delimiter = '|', textBlock = """
            2024-01-15T10:00 | what did I do in December | 2023-12-01T00:00 | 2024-01-01T00:00
            2024-01-15T10:00 | what did I do last month  | 2023-12-01T00:00 | 2024-01-01T00:00
            2024-01-15T10:00 | what happened last year   | 2023-01-01T00:00 | 2024-01-01T00:00
            2024-01-03T10:00 | what did I do last week   | 2023-12-25T00:00 | 2024-01-01T00:00
            2024-01-01T10:00 | what did I do yesterday   | 2023-12-31T00:00 | 2024-01-01T00:00
            2024-03-01T10:00 | what did I do yesterday   | 2024-02-29T00:00 | 2024-03-01T00:00
            2024-01-15T10:00 | where was I on 30 December | 2023-12-30T00:00 | 2023-12-31T00:00
            2024-01-15T10:00 | how was last winter       | 2022-12-01T00:00 | 2023-03-01T00:00
            2024-01-15T10:00 | how is this winter going  | 2023-12-01T00:00 | 2024-03-01T00:00
            2024-01-15T10:00 | what did I plan three months ago | 2023-10-01T00:00 | 2023-11-01T00:00
            """)
    void month_and_year_boundaries_resolve_to_the_previous_year(String now, String query, String from, String to) {
        TimeWindow w = window(query, local(now, BERLIN), BERLIN);
        assertThat(w.range()).isEqualTo(new TimeRange(local(from, BERLIN), local(to, BERLIN)));
    }

    @Test
    void yesterday_at_23_30_utc_is_already_a_day_later_in_tokyo() {
        Instant lateUtc = Instant.parse("2023-05-09T23:30:00Z");
        assertThat(window("yesterday", lateUtc, ZoneId.of("Asia/Tokyo")).range()).isEqualTo(new TimeRange(
                Instant.parse("2023-05-08T15:00:00Z"), Instant.parse("2023-05-09T15:00:00Z")));
        assertThat(window("yesterday", lateUtc, ZoneId.of("UTC")).range()).isEqualTo(new TimeRange(
                Instant.parse("2023-05-08T00:00:00Z"), Instant.parse("2023-05-09T00:00:00Z")));
    }

    @Test
    void a_day_across_a_daylight_saving_change_is_23_or_25_hours_long() {
        TimeRange spring = window("yesterday", Instant.parse("2023-03-27T10:00:00Z"), BERLIN).range();
        assertThat(spring).isEqualTo(new TimeRange(Instant.parse("2023-03-25T23:00:00Z"), Instant.parse("2023-03-26T22:00:00Z")));
        assertThat(Duration.between(spring.from(), spring.to())).isEqualTo(Duration.ofHours(23));
        TimeRange autumn = window("yesterday", Instant.parse("2023-11-06T15:00:00Z"), ZoneId.of("America/New_York")).range();
        assertThat(autumn).isEqualTo(new TimeRange(Instant.parse("2023-11-05T04:00:00Z"), Instant.parse("2023-11-06T05:00:00Z")));
        assertThat(Duration.between(autumn.from(), autumn.to())).isEqualTo(Duration.ofHours(25));
    }

    @ParameterizedTest(name = "\"{0}\" asks for a date: {1}, has a window: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            when did I adopt Miso?                 | true  | false
            When was my sister's wedding           | true  | false
            what day was the concert               | true  | false
            how long ago did I quit smoking        | true  | false
            when did I go hiking last summer       | true  | true
            what pet do I have                     | false | false
            I may go to the march against the dam  | false | false
            what is 12 times 7                     | false | false
            does my brother work on Sundays        | false | false
            """)
    void when_questions_ask_for_a_date_and_plain_questions_carry_no_time(String query, boolean asks, boolean hasWindow) {
        TimeQuery q = TimeExpressions.parse(query, WEDNESDAY, BERLIN);
        assertThat(q.asksForDate()).isEqualTo(asks);
        assertThat(q.window().isPresent()).isEqualTo(hasWindow);
    }

    @Test
    void an_impossible_date_is_no_window() {
        assertThat(TimeExpressions.parse("what did I do on 31 February", WEDNESDAY, BERLIN)).isEqualTo(TimeQuery.NONE);
    }

    /** Written on Sunday 7 May 2023 at 20:00 in Berlin. */
    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', textBlock = """
            I went hiking yesterday                 | I went hiking on 6 May 2023
            Yesterday I went hiking                 | On 6 May 2023 I went hiking
            I met her last Friday                   | I met her on Friday 5 May 2023
            My exam is next week                    | My exam is in the week of 8 May 2023
            see you tomorrow!                       | see you on 8 May 2023!
            I've been sick since yesterday          | I've been sick since 6 May 2023
            We moved here three years ago           | We moved here in 2020
            I started the course 2 weeks ago        | I started the course in the week of 17 April 2023
            last summer we went to Crete            | in summer 2022 we went to Crete
            I was sick all last winter              | I was sick all in winter 2022/23
            this morning I ran 5 km                 | on the morning of 7 May 2023 I ran 5 km
            I quit my job last month, today I rest  | I quit my job in April 2023, on 7 May 2023 I rest
            I'm flying to Japan in May              | I'm flying to Japan in May
            I adopted her on 8 May 2021             | I adopted her on 8 May 2021
            I've been busy recently                 | I've been busy recently
            we talk on Fridays                      | we talk on Fridays
            she moves to Graz in a few weeks        | she moves to Graz in a few weeks
            I'll call you in 2 days                 | I'll call you on 9 May 2023
            dinner with Dana tonight                | dinner with Dana on the evening of 7 May 2023
            last night I couldn't sleep             | on the night of 6 May 2023 I couldn't sleep
            """)
    void absolutize_rewrites_dates_counted_from_the_message_time(String text, String expected) {
        assertThat(TimeExpressions.absolutize(text, Instant.parse("2023-05-07T18:00:00Z"), BERLIN)).isEqualTo(expected);
    }

    @Test
    void absolutize_uses_the_writers_local_date() {
        Instant lateUtc = Instant.parse("2023-05-09T23:30:00Z");
        assertThat(TimeExpressions.absolutize("I saw it yesterday", lateUtc, ZoneId.of("Asia/Tokyo")))
                .isEqualTo("I saw it on 9 May 2023");
        assertThat(TimeExpressions.absolutize("I saw it yesterday", lateUtc, ZoneId.of("UTC")))
                .isEqualTo("I saw it on 8 May 2023");
    }

    @Test
    void a_range_must_end_after_it_starts() {
        assertThatThrownBy(() -> new TimeRange(WEDNESDAY, WEDNESDAY)).isInstanceOf(IllegalArgumentException.class);
        TimeRange r = new TimeRange(WEDNESDAY, WEDNESDAY.plusSeconds(1));
        assertThat(r.contains(WEDNESDAY)).isTrue();
        assertThat(r.contains(WEDNESDAY.plusSeconds(1))).isFalse();
    }
}
