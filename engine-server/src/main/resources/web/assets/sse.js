// Reads a text/event-stream response body (fetch + ReadableStream): the chat turn is a POST, so
// EventSource cannot be used.

/**
 * Yields each event of the stream as {type, data, id}: data is the parsed JSON of the data lines,
 * type is the data's own "type" field when it has one, else the "event:" name (else "message"),
 * id is the last "id:" seen (or the data's message_id). Comment lines (": ping") are skipped.
 * Lines end with LF or CRLF.
 */
export async function* readEvents(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let frame = { event: '', data: [] };
  let lastId = null;
  const take = () => {
    const f = frame;
    frame = { event: '', data: [] };
    return f.data.length === 0 ? null : toEvent(f, lastId);
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).replace(/\r$/, '');
      buffer = buffer.slice(nl + 1);
      if (line === '') {
        const e = take();
        if (e) yield e;
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') frame.event = val;
        else if (field === 'data') frame.data.push(val);
        else if (field === 'id') lastId = val;
      }
    }
  }
  // an event not ended by a blank line when the body ends is dropped, as EventSource does
}

function toEvent(frame, lastId) {
  const text = frame.data.join('\n');
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    data = { content: text };
  }
  if (data === null || typeof data !== 'object') data = { content: String(data) };
  const type = typeof data.type === 'string' && data.type ? data.type : frame.event || 'message';
  return { type, data, id: lastId ?? data.message_id ?? null };
}
