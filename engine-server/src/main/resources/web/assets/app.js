// The page: sign-in, persona picker, conversations, gifts and the two panels. No framework, no
// build step; every text from the server is put in with textContent.
import { el, byId, when, initials } from './dom.js';
import { Api, ApiError } from './api.js';
import { localToken, localSignInOffered, userOfToken, storedToken, storeToken } from './auth.js';
import { Chat } from './chat.js';
import { AffinityPanel, MemoryPanel } from './panels.js';

/** When to look again for memories after a turn: post-process runs in the background. */
const MEMORY_REFRESH_MS = [1500, 4000, 9000];

const api = new Api(() => signedOut('Your sign-in has expired or the token was refused. '
  + 'Sign in again: your unsent message is still in the box.'));
const chat = new Chat(api, { onTurn: afterTurn, onError: showError });
const affinity = new AffinityPanel(api);
const memory = new MemoryPanel(api, { onError: showError });
let userId = null;
let personas = [];
let session = null;
let refreshTimers = [];

function notice(text) {
  byId('notice-text').textContent = text ?? '';
  byId('notice').hidden = text === null;
}

function showError(e) {
  if (e instanceof ApiError && e.status === 401) return; // signedOut() has said it
  notice(e instanceof ApiError ? e.message : 'Something went wrong; see the browser console.');
  if (!(e instanceof ApiError)) console.warn(e);
}

/** The token is gone or refused: show the sign-in, keep everything else on the page as it is. */
function signedOut(message) {
  api.token = null;
  storeToken(null);
  notice(message);
  byId('sign-in').hidden = false;
  byId('local-sign-in').hidden = !localSignInOffered();
  byId('sign-out').hidden = true;
  byId('who').textContent = '';
}

async function signIn(token, user, remember) {
  api.token = token;
  userId = user;
  storeToken(remember ? token : null);
  await loadPersonas(); // a refused token ends here, in signedOut()
  notice(null);
  byId('sign-in').hidden = true;
  byId('app').hidden = false;
  byId('sign-out').hidden = false;
  byId('who').textContent = `Signed in as ${user}`;
  memory.scope(userId, session ? session.instance_id : null);
  await Promise.all([loadSessions(), loadGifts(), memory.refresh()]);
}

async function signInLocally() {
  const t = await localToken();
  if (!t) {
    signedOut('This server did not give a local token; paste an access token instead.');
    return;
  }
  await signIn(t.token, t.userId, false).catch(showError);
}

async function loadPersonas() {
  const body = await api.json('GET', '/comp/personas');
  personas = body.personas;
  byId('personas').replaceChildren(...personas.map((p) => el('li', {},
    el('button', { type: 'button', class: 'persona', 'aria-label': `Chat with ${p.name}`, onclick: () => pick(p) },
      el('span', { class: 'avatar', 'aria-hidden': 'true', text: initials(p.name) }),
      el('span', { class: 'persona-text' },
        el('strong', { text: p.name }),
        el('span', { class: 'note', text: [p.age, p.mbti].filter(Boolean).join(' · ') }),
        el('span', { class: 'greeting', text: p.greeting || '' }))))));
}

async function loadSessions() {
  const body = await api.json('GET', `/comp/chat/${userId}/sessions`);
  byId('sessions').replaceChildren(...(body.sessions.length ? body.sessions.map((s) => el('li', {},
    el('button', { type: 'button', class: 'session', 'aria-label': `Resume the conversation with ${s.persona_name}`,
      'aria-current': session && session.session_id === s.session_id ? 'true' : null, onclick: () => resume(s) },
      el('strong', { text: s.persona_name }), ' ', el('span', { class: 'note', text: when(s.last_active_at) }))))
    : [el('li', { class: 'muted', text: 'None yet: pick a persona.' })]));
}

async function loadGifts() {
  const body = await api.json('GET', '/comp/gifts');
  byId('gifts').replaceChildren(el('span', { class: 'note', text: 'Gifts:' }), ...body.gifts.map((g) => el('button', {
    type: 'button', class: 'gift', 'aria-label': `Send a gift: ${g.label}`, title: g.label, disabled: true,
    text: g.id.replace(/_/g, ' '), onclick: () => chat.gift(g),
  })));
}

/** Starts or resumes the conversation with a persona. */
async function pick(persona, forceNew) {
  try {
    const body = forceNew
      ? { instance_id: session.instance_id, force_new: true }
      : { persona_id: persona.id };
    const s = await api.json('POST', '/comp/chat/start', body);
    await open({ ...s, greeting: persona.greeting });
  } catch (e) {
    showError(e);
  }
}

async function resume(s) {
  const persona = personas.find((p) => p.name === s.persona_name);
  await open({ ...s, greeting: persona ? persona.greeting : null }).catch(showError);
}

async function open(s) {
  session = s;
  byId('chat-title').textContent = s.persona_name;
  byId('chat-avatar').textContent = initials(s.persona_name);
  for (const b of byId('gifts').querySelectorAll('button')) b.disabled = false;
  memory.scope(userId, s.instance_id);
  await Promise.all([chat.open(s), affinity.show(s.session_id, false), memory.refresh(), loadSessions()]);
  byId('message-input').focus();
}

function afterTurn(memoriesUsed) {
  memory.usedByLastReply(memoriesUsed);
  affinity.show(session.session_id, true).catch(showError);
  memory.refresh();
  loadSessions().catch(showError);
  refreshTimers.forEach(clearTimeout);
  refreshTimers = MEMORY_REFRESH_MS.map((ms) => setTimeout(() => memory.refresh(), ms));
}

async function exportData() {
  try {
    const data = await api.json('GET', `/comp/user/${userId}/export`);
    const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
    const a = el('a', { href: url, download: `eros-engine-export-${userId}.json` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (e) {
    showError(e);
  }
}

async function deleteAccount() {
  byId('confirm-delete').close();
  try {
    const body = await api.json('DELETE', `/comp/user/${userId}`);
    const rows = Object.values(body.deleted).reduce((a, b) => a + b, 0);
    session = null;
    chat.close();
    affinity.clear();
    byId('chat-title').textContent = 'Pick a persona';
    byId('chat-avatar').textContent = '?';
    memory.scope(userId, null);
    await Promise.all([loadSessions(), memory.refresh()]);
    notice(`Your account was deleted (${rows} stored row${rows === 1 ? '' : 's'} removed).`);
  } catch (e) {
    showError(e);
  }
}

function wire() {
  byId('notice-close').addEventListener('click', () => notice(null));
  byId('local-sign-in-button').addEventListener('click', signInLocally);
  byId('token-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const token = byId('token-input').value.trim();
    let user;
    try {
      user = userOfToken(token);
    } catch (err) {
      notice(err.message);
      return;
    }
    byId('token-input').value = '';
    await signIn(token, user, true).catch(showError);
  });
  byId('sign-out').addEventListener('click', () => signedOut('Signed out.'));
  byId('new-session').addEventListener('click', () => {
    if (session) pick(personas.find((p) => p.name === session.persona_name) || {}, true);
  });
  byId('export').addEventListener('click', exportData);
  byId('delete-account').addEventListener('click', () => byId('confirm-delete').showModal());
  byId('confirm-delete-no').addEventListener('click', () => byId('confirm-delete').close());
  byId('confirm-delete-yes').addEventListener('click', deleteAccount);
}

async function start() {
  wire();
  const pasted = storedToken();
  if (pasted) {
    try {
      await signIn(pasted, userOfToken(pasted), true);
    } catch (e) {
      if (e instanceof ApiError) showError(e);
      else signedOut(e.message);
    }
    return;
  }
  if (localSignInOffered()) {
    await signInLocally();
    return;
  }
  signedOut(null);
}

start();
