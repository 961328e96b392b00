package io.erosengine.llm.internal;

import io.erosengine.core.port.ModelException;
import io.erosengine.llm.HttpOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP transport of the provider clients, over the JDK {@link HttpClient}: every exchange is
 * bounded by the whole-request timeout (headers and body), and streamed bodies also by the idle
 * timeout between chunks. Transport failures (timeouts, refused or reset connections) become
 * {@link ModelException.Unavailable}. Thread-safe; one instance per client.
 */
public final class HttpCalls {
    private final HttpClient client;
    private final HttpOptions options;
    private final Clock clock;
    private final String provider;

    /** @param provider the provider's name for error messages */
    public HttpCalls(HttpOptions options, Clock clock, String provider) {
        this.client = HttpClient.newBuilder().connectTimeout(options.connectTimeout()).build();
        this.options = options;
        this.clock = clock;
        this.provider = provider;
    }

    /** A finished exchange. */
    public record Reply(int status, String body, String retryAfter) {}

    /** Sends {@code request} and reads the whole body as UTF-8 within the request timeout. */
    public Reply send(HttpRequest request, String model) {
        HttpResponse<String> r = await(client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)),
                "no complete reply", model);
        return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null));
    }

    /**
     * Sends {@code request} and returns once the status and headers arrived, the body still streaming.
     * The caller must read the stream to its end or {@link Stream#close() close} it.
     */
    public Stream openStream(HttpRequest request, String model) {
        Instant deadline = clock.instant().plus(options.requestTimeout());
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> r =
                await(client.sendAsync(request, HttpResponse.BodyHandlers.ofPublisher()), "no reply headers", model);
        Stream stream = new Stream(r.statusCode(), r.headers().firstValue("Retry-After").orElse(null), deadline, model);
        r.body().subscribe(stream.queue);
        return stream;
    }

    /**
     * Waits for {@code future} up to the request timeout; a timeout ({@code missing} names what did not
     * arrive), a transport failure or an interrupt becomes {@link ModelException.Unavailable}, and the
     * exchange is cancelled where it may still be running.
     */
    private <T> T await(CompletableFuture<T> future, String missing, String model) {
        try {
            return future.get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw timeout(missing + " within " + options.requestTimeout(), model, "", e);
        } catch (ExecutionException e) {
            throw transportFailure(e.getCause(), model, "");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new ModelException.Unavailable(provider + " call interrupted", 0, "interrupted", model, "", e);
        }
    }

    private ModelException.Unavailable timeout(String what, String model, String partial, Throwable cause) {
        return new ModelException.Unavailable(provider + " timed out for model " + model + ": " + what, 0,
                "timeout", model, partial, cause);
    }

    private ModelException.Unavailable transportFailure(Throwable cause, String model, String partial) {
        if (cause instanceof HttpTimeoutException) return timeout(String.valueOf(cause.getMessage()), model, partial, cause);
        return new ModelException.Unavailable(provider + " connection failed for model " + model + ": " + cause,
                0, "connection", model, partial, cause);
    }

    /** A streamed body, read chunk by chunk on the calling thread. Not thread-safe. */
    public final class Stream implements AutoCloseable {
        private final int status;
        private final String retryAfter;
        private final Instant deadline;
        private final String model;
        private final ChunkQueue queue = new ChunkQueue();

        private Stream(int status, String retryAfter, Instant deadline, String model) {
            this.status = status;
            this.retryAfter = retryAfter;
            this.deadline = deadline;
            this.model = model;
        }

        /** The HTTP status. */
        public int status() { return status; }

        /** The raw Retry-After header, or null. */
        public String retryAfter() { return retryAfter; }

        /**
         * The next chunk of bytes, or null at the end of the body. Throws Unavailable (carrying
         * {@code partialText}) on an idle timeout, the request deadline, or a broken connection.
         */
        public byte[] next(String partialText) {
            Duration left = Duration.between(clock.instant(), deadline);
            boolean deadlineFirst = left.compareTo(options.streamIdleTimeout()) < 0;
            Duration wait = deadlineFirst ? left : options.streamIdleTimeout();
            try {
                return queue.next(wait.isNegative() ? Duration.ZERO : wait);
            } catch (TimeoutException e) {
                close();
                throw timeout(deadlineFirst ? "the reply did not finish within " + options.requestTimeout()
                        : "no data for " + options.streamIdleTimeout(), model, partialText, e);
            } catch (IOException e) {
                close();
                throw transportFailure(e.getCause() == null ? e : e.getCause(), model, partialText);
            } catch (InterruptedException e) {
                close();
                Thread.currentThread().interrupt();
                throw new ModelException.Unavailable(provider + " stream interrupted", 0, "interrupted", model,
                        partialText, e);
            }
        }

        /** Reads the rest of the body as UTF-8 text (for error replies). */
        public String readAll() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] chunk = next(""); chunk != null; chunk = next("")) out.writeBytes(chunk);
            return out.toString(StandardCharsets.UTF_8);
        }

        /** Stops reading and releases the connection. Idempotent. */
        @Override
        public void close() { queue.cancel(); }
    }

    /** Buffers the publisher's chunks for a blocking reader with a timeout; one chunk in flight. */
    private static final class ChunkQueue implements Flow.Subscriber<List<ByteBuffer>> {
        private static final Object END = new Object();
        private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
        private volatile Flow.Subscription subscription;
        private volatile boolean cancelled;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (cancelled) s.cancel();
            else s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) { items.add(buffers); }

        @Override
        public void onError(Throwable t) { items.add(t); }

        @Override
        public void onComplete() { items.add(END); }

        byte[] next(Duration wait) throws TimeoutException, IOException, InterruptedException {
            Object item = items.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
            if (item == null) throw new TimeoutException();
            if (item == END) {
                items.add(END);
                return null;
            }
            if (item instanceof Throwable t) throw new IOException(t);
            @SuppressWarnings("unchecked")
            List<ByteBuffer> buffers = (List<ByteBuffer>) item;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (ByteBuffer b : buffers) {
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                out.writeBytes(bytes);
            }
            subscription.request(1);
            return out.toByteArray();
        }

        void cancel() {
            cancelled = true;
            Flow.Subscription s = subscription;
            if (s != null) s.cancel();
        }
    }
}
