package io.erosengine.server.http;

import io.erosengine.core.model.MessageId;
import io.erosengine.runtime.TurnListener;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a streamed turn's callbacks as SSE frames (API.md "SSE chat turn"): {@code meta}, then
 * {@code delta}s, then {@code done} and the original eros-engine's closing {@code final}, or an
 * {@code error}. Every frame's JSON carries {@code type} and the turn's message id from meta. The
 * stream opens at the first callback ({@code meta}); until then nothing is written, so an error the
 * engine throws earlier can still be answered as a plain JSON error ({@link #started()} tells which).
 */
final class SseTurnListener implements TurnListener {
    private final Context ctx;
    private SseWriter sse;
    private MessageId messageId;

    SseTurnListener(Context ctx) { this.ctx = ctx; }

    @Override public void onMeta(Meta meta) {
        try {
            sse = SseWriter.start(ctx);
        } catch (IOException e) {
            throw new UncheckedIOException("the client went away before the stream began", e);
        }
        messageId = meta.messageId();
        sse.send("meta", Responses.MetaFrame.of(meta));
    }

    @Override public void onDelta(String text) {
        if (sse != null) sse.send("delta", Responses.DeltaFrame.of(messageId, text));
    }

    @Override public void onDone(Done done) {
        if (sse == null) return;
        sse.send("done", Responses.DoneFrame.of(done));
        sse.send("final", Responses.FinalFrame.of(done));
    }

    @Override public void onError(Error error) {
        if (sse != null) sse.send("error", Responses.ErrorFrame.of(messageId, error));
    }

    /** True once the stream began (the response is an event stream from then on). */
    boolean started() { return sse != null; }

    /** Ends the stream, if it began. */
    void close() {
        if (sse != null) sse.close();
    }
}
