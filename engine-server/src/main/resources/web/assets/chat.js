// The conversation: history paging, the streamed turn with its typing delay, ghosts, gifts and
// retry of a failed send with the same client_msg_id.
import { el, byId, when, uuid } from './dom.js';
import { readEvents } from './sse.js';
import { ApiError } from './api.js';

/** The shortest "typing" time when the stream does not say (the documented range starts at 800 ms). */
const MIN_TYPING_MS = 800;
const PAGE_SIZE = 20;

export class Chat {
  /**
   * @param api the API client
   * @param hooks {onTurn(memoriesUsed), onError(ApiError)}: after each finished turn or gift, and on failures
   */
  constructor(api, hooks) {
    this.api = api;
    this.hooks = hooks;
    this.session = null;
    this.nextBefore = null;
    this.loadingOlder = false;
    this.pending = null; // {text, clientMsgId} of a send that has not finished
    this.busy = false;
    this.list = byId('messages');
    this.input = byId('message-input');
    this.status = byId('chat-status');
    this.list.addEventListener('scroll', () => {
      if (this.list.scrollTop < 40) this.loadOlder();
    });
    byId('composer').addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit();
      }
    });
    byId('retry').addEventListener('click', () => {
      if (this.pending) this.send(this.pending.text, this.pending.clientMsgId);
    });
  }

  /** Opens a session {session_id, instance_id, persona_name, greeting}: its newest history page. */
  async open(session) {
    this.session = session;
    this.nextBefore = null;
    this.pending = null;
    this.showFailure(null);
    this.list.replaceChildren();
    this.list.dataset.sessionId = session.session_id;
    this.setEnabled(true);
    const page = await this.page(null);
    this.list.append(...page);
    this.list.scrollTop = this.list.scrollHeight;
  }

  /** Closes the session (after a sign-out or an account deletion). */
  close() {
    this.session = null;
    this.list.replaceChildren();
    delete this.list.dataset.sessionId;
    this.setEnabled(false);
  }

  setEnabled(on) {
    this.input.disabled = !on;
    byId('send').disabled = !on;
    byId('new-session').disabled = !on;
  }

  /** One history page as list items, oldest first; the greeting leads the first page of the session. */
  async page(before) {
    const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (before) q.set('before', before);
    const body = await this.api.json('GET', `/comp/chat/${this.session.session_id}/history?${q}`);
    this.nextBefore = body.next_before;
    const items = body.messages.map((m) => messageItem(m));
    if (!this.nextBefore && this.session.greeting) {
      items.unshift(bubble('assistant greeting', this.session.greeting, 'greeting'));
    }
    return items;
  }

  /** Prepends the next older page, keeping the reader's place. */
  async loadOlder() {
    if (!this.session || !this.nextBefore || this.loadingOlder) return;
    this.loadingOlder = true;
    try {
      const fromBottom = this.list.scrollHeight - this.list.scrollTop;
      const items = await this.page(this.nextBefore);
      this.list.prepend(...items);
      this.list.scrollTop = this.list.scrollHeight - fromBottom;
    } catch (e) {
      this.hooks.onError(e);
    } finally {
      this.loadingOlder = false;
    }
  }

  submit() {
    const text = this.input.value.trim();
    if (!text || !this.session || this.busy) return;
    // the same text as a failed send is a retry of it: same client_msg_id, so no duplicate turn
    const id = this.pending && this.pending.text === text ? this.pending.clientMsgId : uuid();
    this.send(text, id);
  }

  /** Sends a message through the SSE route; the box keeps its text until the server has taken it. */
  async send(text, clientMsgId) {
    this.busy = true;
    this.pending = { text, clientMsgId };
    this.showFailure(null);
    this.status.textContent = 'Sending...';
    const sid = this.session.session_id;
    let mine = this.list.querySelector(`[data-client-msg-id="${clientMsgId}"]`);
    this.list.querySelector(`[data-reply-to="${clientMsgId}"]`)?.remove(); // a cut-off reply; the retry brings the stored one
    let reply = null;
    try {
      const res = await this.api.send('POST', `/comp/chat/${sid}/message/stream`, { message: text, client_msg_id: clientMsgId },
        'text/event-stream');
      const typing = new Typing(this.status);
      let memoriesUsed = [];
      let failed = null;
      let finished = false;
      for await (const ev of readEvents(res.body)) {
        if (ev.type === 'meta') {
          if (this.input.value.trim() === text) this.input.value = '';
          if (!mine) {
            mine = bubble('user', text, null, { clientMsgId });
            this.append(mine);
          }
          if (ev.data.action === 'ghost') {
            markGhost(mine);
          } else {
            reply = bubble('assistant', '', null, { replyTo: clientMsgId });
            typing.start(reply, ev.data.typing_delay_ms, () => this.append(reply));
          }
        } else if (ev.type === 'delta') {
          typing.add(ev.data.content ?? ev.data.delta ?? ev.data.text ?? '');
        } else if (ev.type === 'done') {
          if (typeof ev.data.typing_delay_ms === 'number') typing.delay(ev.data.typing_delay_ms);
          memoriesUsed = ev.data.memories_used || [];
          finished = true;
        } else if (ev.type === 'error') {
          failed = new ApiError(200, ev.data.code || 'internal', ev.data.user_message || ev.data.message || 'The reply failed.',
            ev.data.retryable !== false);
        }
      }
      await typing.finish();
      if (failed) {
        if (reply && reply.isConnected) reply.append(el('span', { class: 'note', text: ' (cut off)' }));
        throw failed;
      }
      if (!finished) throw new ApiError(0, 'network', 'The reply was cut off.', true);
      this.pending = null;
      this.status.textContent = '';
      this.list.scrollTop = this.list.scrollHeight;
      this.hooks.onTurn(memoriesUsed);
    } catch (e) {
      this.status.textContent = '';
      this.fail(e);
    } finally {
      this.busy = false;
    }
  }

  /** Sends a gift from the catalog; the persona's reaction comes back in the same answer. */
  async gift(entry) {
    if (!this.session || this.busy) return;
    this.busy = true;
    try {
      const body = await this.api.json('POST', `/comp/chat/${this.session.session_id}/event/gift`,
        { gift_id: entry.id, value: entry.reference_value, client_msg_id: uuid() });
      this.append(bubble('gift', `You sent ${entry.label}.`));
      if (body.reply) this.append(bubble('assistant', body.reply));
      this.hooks.onTurn([]);
    } catch (e) {
      this.hooks.onError(e);
    } finally {
      this.busy = false;
    }
  }

  fail(e) {
    if (e instanceof ApiError && e.status === 401) {
      this.hooks.onError(e); // the text stays in the box; signing in again lets it be sent
      return;
    }
    const message = e instanceof ApiError ? e.message : 'The message could not be sent.';
    this.showFailure(`Not sent: ${message}`);
    if (!(e instanceof ApiError)) console.warn(e);
  }

  showFailure(text) {
    byId('send-failed').hidden = text === null;
    byId('send-failed').dataset.clientMsgId = text === null || !this.pending ? '' : this.pending.clientMsgId;
    byId('send-failed-text').textContent = text ?? '';
  }

  append(item) {
    const atBottom = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 60;
    this.list.append(item);
    if (atBottom) this.list.scrollTop = this.list.scrollHeight;
  }
}

/** Holds the reply's text back for the typing delay (counted from meta), then shows it as it streams. */
class Typing {
  constructor(status) {
    this.status = status;
    this.target = null;
    this.buffer = '';
    this.shown = false;
    this.timer = null;
    this.done = null;
  }

  start(target, delayMs, show) {
    this.target = target;
    this.show = show;
    this.startedAt = performance.now();
    this.status.textContent = 'typing...';
    this.done = new Promise((resolve) => {
      this.resolve = resolve;
    });
    this.delay(typeof delayMs === 'number' ? delayMs : MIN_TYPING_MS);
  }

  delay(ms) {
    if (!this.target || this.shown) return;
    clearTimeout(this.timer);
    const left = Math.max(0, ms - (performance.now() - this.startedAt));
    this.timer = setTimeout(() => this.reveal(), left);
  }

  reveal() {
    this.shown = true;
    this.status.textContent = '';
    this.show();
    this.flush();
    this.resolve();
  }

  add(text) {
    this.buffer += text;
    if (this.shown) this.flush();
  }

  flush() {
    this.target.querySelector('.text').textContent += this.buffer;
    this.buffer = '';
  }

  /** Resolves once the text is on screen (at once for a ghost, which has no reply). */
  finish() {
    return this.done ?? Promise.resolve();
  }
}

function messageItem(m) {
  const item = bubble(m.role, m.content, null, { messageId: m.id }, m.sent_at);
  if (m.action === 'ghost') markGhost(item);
  if (m.truncated) item.append(el('span', { class: 'note', text: ' (cut off)' }));
  return item;
}

/** A message: role user | assistant | gift | system_error; the text goes in as text. */
function bubble(role, text, label, dataset = {}, sentAt = null) {
  const cls = role.split(' ')[0];
  return el('li', { class: `msg ${role}`, dataset: { role: cls, ...dataset } },
    label ? el('span', { class: 'note', text: label }) : null,
    el('p', { class: 'text', text }),
    sentAt ? el('time', { class: 'note', datetime: sentAt, text: when(sentAt) }) : null);
}

function markGhost(item) {
  item.classList.add('ghosted');
  item.append(el('span', { class: 'note seen', text: 'Seen, no reply' }));
}
