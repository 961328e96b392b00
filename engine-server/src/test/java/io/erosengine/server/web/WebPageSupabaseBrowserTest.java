package io.erosengine.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.erosengine.core.model.UserId;
import io.erosengine.server.Server;
import io.erosengine.server.auth.LocalTokens;
import io.erosengine.server.config.ServerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** The web page when tokens come from Supabase: the user pastes one; it lives in the tab's sessionStorage only. */
@Tag("browser")
class WebPageSupabaseBrowserTest {
    static final String SECRET = "a-supabase-legacy-secret-with-32-chars-or-more";
    static Server server;
    static Browser browser;

    @BeforeAll
    static void start() {
        server = Server.start(ServerConfig.fromEnvironment(Map.of("BIND_ADDR", "127.0.0.1:0", "PERSONAS_DIR", "../personas",
                "EMBEDDING_DIM", "64", "SUPABASE_JWT_SECRET", SECRET)), Clock.systemUTC());
        browser = new Browser();
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) browser.close();
        } finally {
            if (server != null) server.close();
        }
    }

    @AfterEach
    void theConsoleHasNoErrors() {
        assertThat(browser.severeLogs()).isEmpty();
    }

    @Test
    void the_page_asks_for_a_token_keeps_it_in_the_tab_only_and_forgets_it_on_sign_out() {
        String base = "http://127.0.0.1:" + server.port() + "/";
        browser.driver.get(base);
        browser.waiting().until(d -> d.findElement(By.id("token-input")).isDisplayed());
        assertThat(browser.driver.findElement(By.id("local-sign-in")).isDisplayed()).isFalse();
        assertThat(browser.driver.findElement(By.id("app")).isDisplayed()).isFalse();

        browser.driver.findElement(By.id("token-input")).sendKeys("not a token");
        browser.driver.findElement(By.cssSelector("#token-form button[type=submit]")).click();
        browser.waiting().until(d -> d.findElement(By.id("notice-text")).getText().equals("This is not a JWT (three parts separated by dots)."));

        UserId user = UserId.random();
        String token = new LocalTokens(SECRET, "authenticated", "supabase", Clock.systemUTC()).mint(user, Duration.ofHours(1));
        browser.driver.findElement(By.id("token-input")).clear();
        browser.driver.findElement(By.id("token-input")).sendKeys(token);
        browser.driver.findElement(By.cssSelector("#token-form button[type=submit]")).click();
        browser.waiting().until(d -> d.findElement(By.id("who")).getText().equals("Signed in as " + user));
        assertThat(browser.driver.findElements(By.cssSelector("#personas .persona"))).hasSize(3);
        assertThat(browser.driver.findElement(By.id("token-input")).getAttribute("value")).isEmpty();

        browser.driver.navigate().refresh(); // the tab keeps the token
        browser.waiting().until(d -> d.findElement(By.id("who")).getText().equals("Signed in as " + user));
        assertThat(browser.driver.getCurrentUrl()).isEqualTo(base);
        assertThat(browser.read("return localStorage.length")).isEqualTo(0L);

        browser.driver.findElement(By.id("sign-out")).click();
        browser.waiting().until(d -> d.findElement(By.id("token-input")).isDisplayed());
        assertThat(browser.read("return sessionStorage.getItem('eros.token')")).isNull();
    }
}
