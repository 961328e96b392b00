package io.erosengine.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A turn listener that records what it receives. */
class RecordingListener implements TurnListener {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final List<String> deltas = Collections.synchronizedList(new ArrayList<>());
    final List<Meta> metas = Collections.synchronizedList(new ArrayList<>());

    @Override public void onMeta(Meta meta) {
        metas.add(meta);
        events.add("meta:" + meta.action().wireName());
    }

    @Override public void onDelta(String text) { events.add("delta"); deltas.add(text); }

    @Override public void onDone(Done done) { events.add("done:" + done.messageId()); }

    @Override public void onError(Error error) { events.add("error:" + error.code()); }
}
