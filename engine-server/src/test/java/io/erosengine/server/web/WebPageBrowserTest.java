package io.erosengine.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erosengine.core.memory.MemoryFilter;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.UserId;
import io.erosengine.server.Server;
import io.erosengine.server.config.ServerConfig;
import io.erosengine.server.testsupport.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The web page in headless Chromium against the server of {@code serve} in zero-configuration mode
 * ({@link Server#start}, as {@code Main} starts it, on a free loopback port): signing in by itself,
 * the streamed reply, memory, affinity, gifts, history paging, retry, safe text, a refused token,
 * export and account deletion; and no console errors. Screenshots go to {@code eros.screenshots}
 * (default {@code target/screenshots}; {@code -Deros.screenshots=../docs} refreshes the README's).
 */
@Tag("browser")
class WebPageBrowserTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ShiftedClock CLOCK = new ShiftedClock();
    static Server server;
    static Browser browser;
    static String base;
    static UserId user;

    @BeforeAll
    static void start() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("BIND_ADDR", "127.0.0.1:0", "PERSONAS_DIR", "../personas"));
        server = Server.start(config, CLOCK);
        base = "http://127.0.0.1:" + server.port();
        user = server.localUser();
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

    @BeforeEach
    void openThePage() {
        browser.size(Browser.DESKTOP);
        browser.driver.get(base + "/");
        browser.waiting().until(d -> d.findElement(By.id("app")).isDisplayed()
                && !d.findElements(By.cssSelector("#personas .persona")).isEmpty());
    }

    @AfterEach
    void theConsoleHasNoErrors() {
        assertThat(browser.severeLogs()).isEmpty();
    }

    @Test
    void signs_in_by_itself_and_streams_the_reply_after_the_typing_delay() {
        assertThat(text(By.id("who"))).isEqualTo("Signed in as " + user);
        pickFresh("Mira");
        assertThat(text(By.cssSelector("#chat-avatar"))).isEqualTo("MI");
        type("I love hiking in the Alps with my sister.");
        // at the moment "typing..." shows, no reply text is on screen yet (read in one script: no race)
        browser.waiting().until(d -> "typing...".equals(browser.read("return document.getElementById('chat-status').textContent")));
        assertThat(browser.read("return document.querySelectorAll('#messages .msg.assistant:not(.greeting)').length")).isEqualTo(0L);
        assertThat(texts(By.cssSelector("#messages .msg.user .text"))).containsExactly("I love hiking in the Alps with my sister.");
        String reply = waitForReplies(1).get(0);
        assertThat(reply).isNotBlank();
        assertThat(texts(By.cssSelector("#messages .msg.user .text"))).containsExactly("I love hiking in the Alps with my sister.");
        assertThat(browser.driver.findElement(By.id("message-input")).getAttribute("value")).isEmpty();
        assertThat(text(By.cssSelector("#messages .msg.greeting .text"))).isEqualTo(server.engine().personas().stream()
                .filter(p -> p.name().equals("Mira")).findFirst().orElseThrow().greeting());
        // the page showed what the server stored
        List<ChatMessage> stored = history(openSession());
        assertThat(stored).extracting(ChatMessage::content).containsExactly("I love hiking in the Alps with my sister.", reply);
    }

    @Test
    void the_memory_a_turn_made_appears_and_can_be_pinned_edited_hidden_and_forgotten() {
        pickFresh("Mira");
        type("My dog is called Pixel and he loves the beach.");
        waitForReplies(1);
        type("I promise I will send you a postcard from the beach.");
        waitForReplies(2);
        String factId = waitForMemory("The user's dog is called Pixel and he loves the beach.");
        assertThat(memoryText(factId)).contains("profile").contains("fact").contains("importance 5").contains("mentioned 1x")
                .contains("from user");

        click(factId, "Pin memory");
        browser.waiting().until(d -> memory(factId).map(m -> m.getText().contains("pinned")).orElse(false));
        assertThat(stored(factId).orElseThrow().pinned()).isTrue();

        click(factId, "Edit memory");
        WebElement box = memory(factId).orElseThrow().findElement(By.cssSelector("textarea"));
        box.clear();
        box.sendKeys("My dog Pixel loves the sea.");
        browser.driver.findElement(By.id("memory-refresh")).click(); // as the refreshes after a turn do
        browser.waiting().until(d -> d.findElement(By.id("memories")).getAttribute("aria-busy") == null);
        assertThat(box.getAttribute("value")).isEqualTo("My dog Pixel loves the sea."); // the same form, kept
        memory(factId).orElseThrow().findElement(By.cssSelector("button[type=submit]")).click();
        browser.waiting().until(d -> memory(factId).map(m -> m.findElement(By.cssSelector(".text")).getText()
                .equals("My dog Pixel loves the sea.")).orElse(false));
        assertThat(stored(factId).orElseThrow().content()).isEqualTo("My dog Pixel loves the sea.");

        String sharedId = waitForMemory("The user promised to send Mira a postcard from the beach.");
        assertThat(memoryText(sharedId)).contains("relationship").contains("promise");
        click(sharedId, "Hide memory");
        browser.waiting().until(d -> memory(sharedId).isEmpty());
        assertThat(stored(sharedId)).isEmpty();
        assertThat(server.engine().memories(user, new MemoryFilter(null, null, true, 100)))
                .extracting(m -> m.id().toString()).contains(sharedId);

        click(factId, "Forget memory");
        browser.waiting().until(d -> memory(factId).isEmpty());
        assertThat(server.engine().memories(user, new MemoryFilter(null, null, true, 100)))
                .extracting(m -> m.id().toString()).doesNotContain(factId);
    }

    @Test
    void a_search_shows_why_each_memory_was_recalled_and_the_reply_marks_the_memories_it_used() {
        pickFresh("Sora");
        type("My favourite food is ramen from Osaka.");
        waitForReplies(1);
        waitForMemory("The user's favourite food is ramen from Osaka.");
        type("What is my favourite food?");
        waitForReplies(2);
        browser.waiting().until(d -> !d.findElements(By.cssSelector("#memories .badge.used")).isEmpty());

        WebElement q = browser.driver.findElement(By.id("memory-q"));
        q.sendKeys("ramen Osaka", Keys.ENTER);
        browser.waiting().until(d -> text(By.id("memory-caption")).contains("for \"ramen Osaka\""));
        WebElement best = browser.driver.findElements(By.cssSelector("#memories .memory")).get(0);
        assertThat(best.findElement(By.cssSelector(".text")).getText()).contains("ramen");
        assertThat(best.findElement(By.cssSelector(".why")).getText())
                .matches("Why recalled: similarity [0-9.-]+, vector #1, keyword #1 \\(BM25 [0-9.]+\\), relevance [0-9.]+, "
                        + "importance boost [0-9.-]+, recency boost [0-9.-]+; score [0-9.-]+");
        browser.driver.findElement(By.id("memory-search-clear")).click();
        browser.waiting().until(d -> !text(By.id("memory-caption")).contains("for \""));
    }

    @Test
    void a_gift_from_the_catalog_moves_the_axes_and_the_panel_shows_the_change() {
        pickFresh("Kai");
        browser.waiting().until(d -> !d.findElements(By.cssSelector("#axes meter")).isEmpty());
        double warmthBefore = Double.parseDouble(text(By.cssSelector("#axes dd[data-axis=warmth] .value")));
        List<String> gifts = browser.driver.findElements(By.cssSelector("#gifts .gift")).stream()
                .map(b -> b.getAttribute("aria-label")).toList();
        assertThat(gifts).containsExactly("Send a gift: a cup of coffee", "Send a gift: a red rose", "Send a gift: a box of chocolates",
                "Send a gift: a bouquet of flowers", "Send a gift: a teddy bear", "Send a gift: a piece of jewelry");
        browser.driver.findElement(By.cssSelector("#gifts [aria-label='Send a gift: a bouquet of flowers']")).click();
        browser.waiting().until(d -> texts(By.cssSelector("#messages .msg.gift .text")).contains("You sent a bouquet of flowers."));
        browser.waiting().until(d -> !text(By.cssSelector("#axes dd[data-axis=warmth] .change")).isEmpty());
        double warmthAfter = Double.parseDouble(text(By.cssSelector("#axes dd[data-axis=warmth] .value")));
        String change = text(By.cssSelector("#axes dd[data-axis=warmth] .change"));
        assertThat(warmthAfter).isGreaterThan(warmthBefore);
        assertThat(change).startsWith("+");
        assertThat(Double.parseDouble(change)).isCloseTo(warmthAfter - warmthBefore, org.assertj.core.data.Offset.offset(0.011));
        JsonNode affinity = api("GET", "/comp/affinity/" + openSession(), null);
        assertThat(affinity.path("warmth").asDouble()).isCloseTo(warmthAfter, org.assertj.core.data.Offset.offset(0.005));
        assertThat(text(By.id("relationship-label"))).isEqualTo(affinity.path("label").asText().replace('_', ' '));
        assertThat(text(By.id("ghosts"))).startsWith("Ghost streak: 0");
    }

    @Test
    void html_and_script_in_a_message_a_reply_and_a_memory_are_shown_as_text() {
        pickFresh("Mira");
        String html = "<b>jazz</b><img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>";
        String payload = "I love " + html;
        type(payload);
        waitForReplies(1);
        assertThat(texts(By.cssSelector("#messages .msg.user .text"))).contains(payload);
        waitForMemory("The user loves <b>jazz</b><img src=x onerror="); // the offline extractor ends the sentence itself
        assertThat(browser.driver.findElements(By.cssSelector("#messages img, #messages script, #messages b, #memories img, #memories b")))
                .isEmpty();
        assertThat(browser.driver.getTitle()).isEqualTo("eros-engine");
    }

    @Test
    void a_refused_token_says_so_keeps_the_unsent_text_and_signing_in_again_sends_it() {
        String shortLived = server.localToken(user, Duration.ofMinutes(2)).orElseThrow();
        browser.driver.findElement(By.id("sign-out")).click();
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
        browser.driver.findElement(By.id("token-input")).sendKeys("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDEifQ.bad");
        browser.driver.findElement(By.cssSelector("#token-form button[type=submit]")).click();
        browser.waiting().until(d -> text(By.id("notice-text")).startsWith("Your sign-in has expired or the token was refused."));
        assertThat(browser.driver.findElement(By.id("sign-in")).isDisplayed()).isTrue();

        browser.driver.findElement(By.id("token-input")).sendKeys(shortLived);
        browser.driver.findElement(By.cssSelector("#token-form button[type=submit]")).click();
        browser.waiting().until(d -> !d.findElement(By.id("sign-in")).isDisplayed());
        assertThat(browser.read("return sessionStorage.getItem('eros.token')")).isEqualTo(shortLived);
        assertThat(browser.driver.getCurrentUrl()).doesNotContain(shortLived);
        pickFresh("Kai");
        CLOCK.advance(Duration.ofHours(1)); // the pasted token is now expired
        String words = "These words must not be lost.";
        type(words);
        browser.waiting().until(d -> text(By.id("notice-text")).contains("your unsent message is still in the box"));
        assertThat(browser.driver.findElement(By.id("message-input")).getAttribute("value")).isEqualTo(words);
        assertThat(browser.read("return sessionStorage.getItem('eros.token')")).isNull();
        List<String> refused = browser.severeLogs();
        assertThat(refused).isNotEmpty().allMatch(line -> line.contains("401"));

        browser.driver.findElement(By.id("local-sign-in-button")).click();
        browser.waiting().until(d -> !d.findElement(By.id("sign-in")).isDisplayed());
        browser.driver.findElement(By.id("send")).click();
        waitForUserMessage(words);
        assertThat(history(openSession())).extracting(ChatMessage::content).contains(words);
    }

    @Test
    void a_send_that_failed_is_retried_with_the_same_client_msg_id_and_stored_once() {
        pickFresh("Sora");
        String words = "Retry me once, please.";
        browser.offline(true);
        type(words);
        browser.waiting().until(d -> d.findElement(By.id("send-failed")).isDisplayed());
        assertThat(text(By.id("send-failed-text"))).isEqualTo("Not sent: The server could not be reached.");
        assertThat(browser.driver.findElement(By.id("message-input")).getAttribute("value")).isEqualTo(words);
        assertThat(browser.severeLogs()).allMatch(line -> line.contains("ERR_INTERNET_DISCONNECTED"));
        String firstId = browser.driver.findElement(By.id("send-failed")).getAttribute("data-client-msg-id");
        assertThat(firstId).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        browser.driver.findElement(By.id("retry")).click(); // still offline: fails again, with the same id
        browser.waiting().until(d -> d.findElement(By.id("send-failed")).isDisplayed()
                && "".equals(browser.read("return document.getElementById('chat-status').textContent")));
        assertThat(browser.driver.findElement(By.id("send-failed")).getAttribute("data-client-msg-id")).isEqualTo(firstId);
        assertThat(browser.severeLogs()).allMatch(line -> line.contains("ERR_INTERNET_DISCONNECTED"));
        browser.offline(false);
        browser.driver.findElement(By.id("retry")).click();
        waitForReplies(1);
        assertThat(browser.driver.findElement(By.id("send-failed")).isDisplayed()).isFalse();
        assertThat(browser.driver.findElement(By.id("message-input")).getAttribute("value")).isEmpty();
        assertThat(browser.driver.findElement(By.cssSelector("#messages .msg.user")).getAttribute("data-client-msg-id")).isEqualTo(firstId);
        List<ChatMessage> stored = history(openSession());
        assertThat(stored).filteredOn(m -> m.content().equals(words)).hasSize(1).allMatch(m -> firstId.equals(m.clientMsgId()));
        assertThat(stored).hasSize(2);
        assertThat(stored).hasSize(2);
    }

    @Test
    void scrolling_to_the_top_pages_in_older_history_until_the_greeting() throws Exception {
        String token = server.localToken(user, Duration.ofHours(1)).orElseThrow();
        String kai = server.engine().personas().stream().filter(p -> p.name().equals("Kai")).findFirst().orElseThrow().id().toString();
        Http http = new Http(server.port());
        String sid = JSON.readTree(http.post("/comp/chat/start", token, "{\"persona_id\":\"" + kai + "\",\"force_new\":true}").body())
                .path("session_id").asText();
        for (int i = 1; i <= 14; i++) {
            assertThat(http.post("/comp/chat/" + sid + "/message", token, "{\"message\":\"note " + i + "\"}").statusCode()).isEqualTo(200);
        }
        pick("Kai");
        browser.waiting().until(d -> texts(By.cssSelector("#messages .msg.user .text")).contains("note 14"));
        assertThat(texts(By.cssSelector("#messages .msg.user .text"))).doesNotContain("note 1");
        browser.read("document.getElementById('messages').scrollTop = 0");
        browser.waiting().until(d -> texts(By.cssSelector("#messages .msg.user .text")).contains("note 1"));
        browser.read("document.getElementById('messages').scrollTop = 0");
        browser.waiting().until(d -> !d.findElements(By.cssSelector("#messages .msg.greeting")).isEmpty());
        List<String> users = texts(By.cssSelector("#messages .msg.user .text"));
        assertThat(users).hasSize(14).startsWith("note 1", "note 2").endsWith("note 14");
        assertThat(browser.driver.findElements(By.cssSelector("#messages .msg")).get(0).getAttribute("class")).contains("greeting");
    }

    @Test
    void export_downloads_everything_and_deleting_the_account_asks_first(@TempDir Path downloads) throws Exception {
        pickFresh("Mira");
        type("Remember that I play the cello.");
        waitForReplies(1);
        browser.driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));
        browser.driver.findElement(By.id("export")).click();
        Path file = downloads.resolve("eros-engine-export-" + user + ".json");
        browser.waiting().until(d -> Files.exists(file) && file.toFile().length() > 0);
        JsonNode export = JSON.readTree(Files.readString(file));
        assertThat(export.path("user_id").asText()).isEqualTo(user.toString());
        assertThat(export.path("tables").toString()).contains("Remember that I play the cello.");

        browser.driver.findElement(By.id("delete-account")).click();
        browser.waiting().until(d -> d.findElement(By.id("confirm-delete")).isDisplayed());
        browser.driver.findElement(By.id("confirm-delete-no")).click();
        assertThat(browser.driver.findElement(By.id("confirm-delete")).isDisplayed()).isFalse();
        assertThat(server.engine().sessions(user)).isNotEmpty();

        browser.driver.findElement(By.id("delete-account")).click();
        browser.driver.findElement(By.id("confirm-delete-yes")).click();
        browser.waiting().until(d -> text(By.id("notice-text")).startsWith("Your account was deleted"));
        assertThat(server.engine().sessions(user)).isEmpty();
        assertThat(server.engine().memories(user, MemoryFilter.all(10))).isEmpty();
        assertThat(text(By.id("sessions"))).isEqualTo("None yet: pick a persona.");
    }

    @Test
    void the_page_reads_at_desktop_and_phone_width_and_its_screenshots_are_saved() throws Exception {
        pickFresh("Mira");
        type("Hi Mira! I just got back from a week of hiking in the Dolomites.");
        waitForReplies(1);
        type("My sister Lena came along; she is a nurse in Vienna.");
        waitForReplies(2);
        waitForMemory("The user's sister Lena came along.");
        browser.driver.findElement(By.cssSelector("#gifts [aria-label='Send a gift: a red rose']")).click();
        browser.waiting().until(d -> !text(By.cssSelector("#axes dd[data-axis=warmth] .change")).isEmpty());
        Path dir = Path.of(System.getProperty("eros.screenshots", "target/screenshots"));
        Files.createDirectories(dir);
        Files.write(dir.resolve("web-desktop.png"), browser.driver.getScreenshotAs(OutputType.BYTES));

        browser.size(Browser.PHONE);
        long overflow = (Long) browser.read("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(overflow).isZero(); // nothing wider than the phone
        browser.read("document.querySelector('.chat').scrollIntoView()");
        Files.write(dir.resolve("web-phone.png"), browser.driver.getScreenshotAs(OutputType.BYTES));
        assertThat(Stream.of("web-desktop.png", "web-phone.png").map(dir::resolve)).allMatch(Files::exists);
    }

    @Test
    void every_control_has_a_name_and_the_keyboard_reaches_the_composer() {
        pick("Mira");
        @SuppressWarnings("unchecked")
        List<String> unnamed = (List<String>) browser.read(
                "return [...document.querySelectorAll('button, input, select, textarea')].filter(e => e.offsetParent !== null)"
                        + ".filter(e => !(e.getAttribute('aria-label') || e.labels?.length || e.textContent.trim()))"
                        + ".map(e => e.outerHTML)");
        assertThat(unnamed).isEmpty();
        browser.driver.findElement(By.cssSelector("[aria-label='Chat with Kai']")).sendKeys(Keys.ENTER);
        browser.waiting().until(d -> text(By.id("chat-title")).equals("Kai"));
        // the composer takes the focus once the chat has loaded (history, affinity, memories)
        browser.waiting().until(d -> "message-input".equals(d.switchTo().activeElement().getAttribute("id")));
    }

    @Test
    void the_stream_parser_reads_todays_frames_and_type_tagged_frames_however_the_bytes_are_split() {
        String script = String.join("\n",
                "const done = arguments[arguments.length - 1];",
                "import('/assets/sse.js').then(async ({ readEvents }) => {",
                "  const text = arguments[0];",
                "  const bytes = new TextEncoder().encode(text);",
                "  const out = [];",
                "  for (const size of [1, 3, 7, bytes.length]) {",
                "    const body = new ReadableStream({ start(c) {",
                "      for (let i = 0; i < bytes.length; i += size) c.enqueue(bytes.slice(i, i + size));",
                "      c.close(); } });",
                "    const events = [];",
                "    for await (const e of readEvents(body)) events.push(`${e.type}|${e.id}|${e.data.content ?? ''}`);",
                "    out.push(events.join(';'));",
                "  }",
                "  done(out);",
                "}, (e) => done(String(e)));");
        String frames = "event: meta\ndata: {\"message_id\":\"m1\",\"action\":\"reply\"}\n\n"
                + ": ping\n\n"
                + "event: delta\ndata: {\"content\":\"Hé \u2764\"}\n\n"
                + "data: {\"type\":\"delta\",\"message_id\":\"m2\",\"content\":\"typed\"}\r\n\r\n"
                + "id: m3\nevent: message\ndata: {\"type\":\"done\",\"memories_used\":[]}\n\n"
                + "event: error\ndata: {\"code\":\"internal\"}"; // not ended by a blank line: dropped
        Object result = browser.driver.executeAsyncScript(script, frames);
        String expected = "meta|m1|;delta|null|Hé \u2764;delta|m2|typed;done|m3|";
        assertThat(result).isEqualTo(List.of(expected, expected, expected, expected));
    }

    // ---- helpers ----

    /** Picks a persona (resuming its latest conversation) and waits for the chat to be ready. */
    void pick(String persona) {
        browser.driver.findElement(By.cssSelector("[aria-label='Chat with " + persona + "']")).click();
        browser.waiting().until(d -> text(By.id("chat-title")).equals(persona) && d.findElement(By.id("message-input")).isEnabled()
                && !d.findElements(By.cssSelector("#axes meter")).isEmpty() && openSession() != null);
    }

    /** Picks a persona and starts a new conversation with it (only its greeting shows). */
    void pickFresh(String persona) {
        pick(persona);
        SessionId resumed = openSession();
        browser.driver.findElement(By.id("new-session")).click();
        browser.waiting().until(d -> !resumed.equals(openSession()) && d.findElements(By.cssSelector("#messages .msg")).size() == 1
                && !d.findElements(By.cssSelector("#axes meter")).isEmpty());
    }

    /** Types into the message box and presses Enter. */
    void type(String message) {
        browser.driver.findElement(By.id("message-input")).sendKeys(message, Keys.ENTER);
    }

    /** Waits until the chat shows this many replies (after the greeting); returns their texts. */
    List<String> waitForReplies(int n) {
        By replies = By.cssSelector("#messages .msg.assistant:not(.greeting) .text");
        browser.waiting().until(d -> texts(replies).stream().filter(t -> !t.isBlank()).count() >= n
                && text(By.id("chat-status")).isEmpty());
        return texts(replies);
    }

    void waitForUserMessage(String message) {
        browser.waiting().until(d -> texts(By.cssSelector("#messages .msg.user .text")).contains(message));
    }

    /**
     * Waits for a memory whose text starts with {@code start}, pressing Refresh now and then (post-process
     * is async), and returns its id. The page re-renders the list on its own after a turn, so a test holds
     * memories by id, not by element.
     */
    String waitForMemory(String start) {
        long[] last = {0};
        return browser.waiting().withMessage(() -> "no memory starting with '" + start + "'; shown: "
                + texts(By.cssSelector("#memories .memory .text"))).until(d -> {
            Optional<WebElement> m = d.findElements(By.cssSelector("#memories .memory")).stream()
                    .filter(e -> e.findElement(By.cssSelector(".text")).getText().startsWith(start)).findFirst();
            if (m.isEmpty() && System.nanoTime() - last[0] > 1_000_000_000L) {
                d.findElement(By.id("memory-refresh")).click();
                last[0] = System.nanoTime();
            }
            return m.map(e -> e.getAttribute("data-memory-id")).orElse(null);
        });
    }

    Optional<WebElement> memory(String id) {
        return browser.driver.findElements(By.cssSelector("#memories .memory[data-memory-id='" + id + "']")).stream().findFirst();
    }

    /** The shown text of the memory, read again when the list was re-rendered meanwhile. */
    String memoryText(String id) {
        return browser.waiting().until(d -> memory(id).map(WebElement::getText).orElse(null));
    }

    /** Presses the memory's button for {@code action}, again when the list was re-rendered before the click. */
    void click(String id, String action) {
        browser.waiting().until(d -> memory(id).map(m -> {
            m.findElement(By.cssSelector("button[aria-label^='" + action + ":']")).click();
            return true;
        }).orElse(false));
    }

    static Optional<MemoryItem> stored(String id) {
        return server.engine().memories(user, MemoryFilter.all(100)).stream().filter(m -> m.id().toString().equals(id)).findFirst();
    }

    /** The session the page has open (null when none). */
    static SessionId openSession() {
        Object id = browser.read("return document.getElementById('messages').dataset.sessionId");
        return id == null ? null : new SessionId(java.util.UUID.fromString((String) id));
    }

    static List<ChatMessage> history(SessionId sid) {
        return server.engine().history(user, sid, 50, null).messages();
    }

    static JsonNode api(String method, String path, String body) {
        String token = server.localToken(user, Duration.ofMinutes(5)).orElseThrow();
        try {
            return JSON.readTree(new Http(server.port()).method(method, path, token, body).body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String text(By by) { return browser.driver.findElement(by).getText(); }

    static List<String> texts(By by) {
        return browser.driver.findElements(by).stream().map(WebElement::getText).toList();
    }
}
