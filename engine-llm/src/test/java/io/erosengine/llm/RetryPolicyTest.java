package io.erosengine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {

    @ParameterizedTest(name = "retry {0} with random {1} waits {2} ms")
    @CsvSource({
        "1, 0.0, 250", "1, 0.999999, 500", "2, 0.0, 500", "3, 0.0, 1000", "3, 0.5, 1500",
        "5, 0.0, 4000", "6, 0.0, 4000", "10, 1.0, 8000"})
    void backoff_grows_exponentially_with_equal_jitter_up_to_the_cap(int retry, double random, long expectedMillis) {
        assertThat(RetryPolicy.DEFAULT.backoff(retry, random)).isEqualTo(Duration.ofMillis(expectedMillis));
    }

    @ParameterizedTest
    @CsvSource({"0, 1.0", "1, 0.5"})
    void invalid_policies_are_rejected(int attempts, double multiplier) {
        assertThatThrownBy(() -> new RetryPolicy(attempts, Duration.ZERO, multiplier, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
