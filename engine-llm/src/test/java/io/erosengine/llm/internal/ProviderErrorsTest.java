package io.erosengine.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProviderErrorsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    @ParameterizedTest(name = "Retry-After: {0}")
    @CsvSource(delimiter = '|', value = {
        "7 | 7000", "0 | 0", "1.5 | 1500", "Sun, 01 Mar 2026 10:00:30 GMT | 30000", "Sun, 01 Mar 2026 09:00:00 GMT | 0"})
    void retry_after_is_read_as_seconds_or_an_http_date(String header, long millis) {
        assertThat(ProviderErrors.retryAfter(header, CLOCK)).contains(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "Retry-After: {0}")
    @ValueSource(strings = {"soon", "  ", "NaN"})
    void an_unreadable_retry_after_is_ignored(String header) {
        assertThat(ProviderErrors.retryAfter(header, CLOCK)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"error\":{\"code\":429,\"message\":\"Rate limit exceeded\"}} | 429 | Rate limit exceeded",
        "{\"error\":{\"code\":\"server_error\",\"message\":\"boom\"}} | server_error | boom",
        "{\"detail\":\"Provided API key is invalid.\"} | | Provided API key is invalid.",
        "<html>Bad gateway</html> | | <html>Bad gateway</html>"})
    void error_bodies_of_both_providers_are_read(String body, String code, String message) {
        ProviderErrors.ErrorInfo info = ProviderErrors.parseBody(body);
        assertThat(info.code()).isEqualTo(code);
        assertThat(info.message()).isEqualTo(message);
    }
}
