// The affinity panel (six axes, label, change since the last turn, ghosts) and the memory panel
// (both layers, search with score parts, memories the last reply used, edit, pin, hide, forget,
// profile insights, export and account deletion).
import { el, byId, when, signed } from './dom.js';

const AXES = ['warmth', 'trust', 'intrigue', 'intimacy', 'patience', 'tension'];
const INSIGHTS = [
  ['city', 'City'], ['occupation', 'Occupation'], ['interests', 'Interests'], ['personality_traits', 'Personality'],
  ['emotional_needs', 'Emotional needs'], ['life_rhythm', 'Life rhythm'], ['love_values', 'Love values'], ['mbti_guess', 'MBTI guess'],
];

export class AffinityPanel {
  constructor(api) {
    this.api = api;
    this.previous = null;
  }

  /** Shows the session's affinity; the change is against the values shown before (null: forget them). */
  async show(sessionId, keepPrevious) {
    if (!keepPrevious) this.previous = null;
    const a = await this.api.json('GET', `/comp/affinity/${sessionId}`);
    byId('relationship-label').textContent = a.label.replace(/_/g, ' ');
    const rows = AXES.flatMap((axis) => {
      const value = a[axis];
      const change = this.previous ? value - this.previous[axis] : 0;
      const shownChange = Math.abs(change) >= 0.005 ? signed(change) : '';
      return [
        el('dt', { text: axis }),
        el('dd', { dataset: { axis } },
          el('meter', { min: 0, max: 1, value, 'aria-label': `${axis} ${value.toFixed(2)}` }),
          el('span', { class: 'value', text: value.toFixed(2) }),
          el('span', { class: `change ${change > 0 ? 'up' : 'down'}`, dataset: { change: shownChange }, text: shownChange })),
      ];
    });
    byId('axes').replaceChildren(...rows);
    byId('ghosts').textContent = `Ghost streak: ${a.ghost_streak} (ghosted ${a.total_ghosts} time${a.total_ghosts === 1 ? '' : 's'} in all)`;
    this.previous = a;
  }

  clear() {
    this.previous = null;
    byId('relationship-label').textContent = '-';
    byId('axes').replaceChildren();
    byId('ghosts').textContent = '';
  }
}

export class MemoryPanel {
  /** @param hooks {onError(e)} */
  constructor(api, hooks) {
    this.api = api;
    this.hooks = hooks;
    this.userId = null;
    this.instanceId = null;
    this.used = new Set();
    this.query = '';
    byId('memory-scope').addEventListener('change', () => this.refresh());
    byId('memory-refresh').addEventListener('click', () => this.refresh());
    byId('memory-search').addEventListener('submit', (e) => {
      e.preventDefault();
      this.query = byId('memory-q').value.trim();
      this.refresh();
    });
    byId('memory-search-clear').addEventListener('click', () => {
      byId('memory-q').value = '';
      this.query = '';
      this.refresh();
    });
  }

  /** The user and instance whose memories are shown (instance may be null). */
  scope(userId, instanceId) {
    this.userId = userId;
    this.instanceId = instanceId;
    this.used = new Set();
  }

  /** Marks the memories the last reply used. */
  usedByLastReply(ids) {
    this.used = new Set(ids);
  }

  async refresh() {
    if (!this.userId) return;
    try {
      await Promise.all([this.list(), this.insights()]);
    } catch (e) {
      this.hooks.onError(e);
    }
  }

  async list() {
    const layer = byId('memory-scope').value;
    const q = new URLSearchParams({ limit: this.query ? '50' : '100' });
    if (layer) q.set('layer', layer);
    if (this.instanceId) q.set('instance_id', this.instanceId);
    if (this.query) q.set('q', this.query);
    if (layer === 'relationship' && !this.instanceId) {
      byId('memory-caption').textContent = 'Pick a persona to see the relationship layer.';
      byId('memories').replaceChildren();
      return;
    }
    const list = byId('memories');
    list.setAttribute('aria-busy', 'true');
    try {
      const body = await this.api.json('GET', `/comp/memories?${q}`);
      const n = body.memories.length;
      byId('memory-caption').textContent = this.query
        ? `${n} result${n === 1 ? '' : 's'} for "${this.query}", best first`
        : `${n} memor${n === 1 ? 'y' : 'ies'}${this.used.size ? `; ${this.used.size} used by the last reply` : ''}`;
      // a memory being edited keeps its form (and the text typed so far) through the refreshes after a turn
      const editing = list.querySelector('li.memory form.edit')?.closest('li.memory');
      list.replaceChildren(...body.memories.map((m) => (editing?.dataset.memoryId === m.id ? editing : this.item(m))));
    } finally {
      list.removeAttribute('aria-busy');
    }
  }

  item(m) {
    const short = m.content.length > 40 ? `${m.content.slice(0, 40)}...` : m.content;
    const facts = [
      m.layer, m.category.replace(/_/g, ' '), `importance ${m.importance}`,
      `mentioned ${m.mention_count}x`, `from ${m.attributed_to}`, when(m.observed_at || m.created_at),
    ].filter(Boolean).join(' · ');
    const content = el('p', { class: 'text', text: m.content });
    const li = el('li', { class: 'memory', dataset: { memoryId: m.id } },
      el('div', { class: 'badges' },
        m.pinned ? el('span', { class: 'badge', text: 'pinned' }) : null,
        this.used.has(m.id) ? el('span', { class: 'badge used', text: 'used in the last reply' }) : null),
      content,
      el('p', { class: 'note', text: facts }),
      m.score ? el('p', { class: 'note why', text: `Why recalled: ${scoreParts(m.score)}` }) : null);
    const actions = el('div', { class: 'row actions' },
      el('button', { type: 'button', 'aria-label': `Edit memory: ${short}`, text: 'Edit', onclick: () => this.edit(li, content, m) }),
      el('button', { type: 'button', 'aria-label': `${m.pinned ? 'Unpin' : 'Pin'} memory: ${short}`, text: m.pinned ? 'Unpin' : 'Pin',
        onclick: () => this.act('PATCH', `/comp/memories/${m.id}`, { pinned: !m.pinned }) }),
      el('button', { type: 'button', 'aria-label': `Hide memory: ${short}`, text: 'Hide',
        onclick: () => this.act('POST', `/comp/memories/${m.id}/hide`) }),
      el('button', { type: 'button', class: 'danger', 'aria-label': `Forget memory: ${short}`, text: 'Forget',
        onclick: () => this.act('DELETE', `/comp/memories/${m.id}`) }));
    li.append(actions);
    return li;
  }

  edit(li, content, m) {
    const box = el('textarea', { rows: 3, maxlength: 4000, 'aria-label': 'Memory text' });
    box.value = m.content;
    const form = el('form', { class: 'edit' }, box,
      el('div', { class: 'row' },
        el('button', { type: 'submit', text: 'Save' }),
        el('button', { type: 'button', text: 'Cancel', onclick: () => form.replaceWith(content) })));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const text = box.value.trim();
      if (!text) return;
      try {
        await this.api.json('PATCH', `/comp/memories/${m.id}`, { content: text });
      } catch (err) {
        this.hooks.onError(err); // the form stays open with the text
        return;
      }
      form.replaceWith(content);
      await this.refresh();
    });
    content.replaceWith(form);
    box.focus();
  }

  async act(method, path, body) {
    try {
      await this.api.json(method, path, body);
      await this.list();
    } catch (e) {
      this.hooks.onError(e);
    }
  }

  async insights() {
    const p = await this.api.json('GET', `/comp/user/${this.userId}/profile`);
    const rows = INSIGHTS.filter(([key]) => p[key] !== null && p[key] !== undefined && !(Array.isArray(p[key]) && !p[key].length))
      .flatMap(([key, label]) => [el('dt', { text: label }), el('dd', { text: Array.isArray(p[key]) ? p[key].join(', ') : String(p[key]) })]);
    byId('insights').replaceChildren(...(rows.length ? rows : [el('dd', { class: 'muted', text: 'Nothing yet.' })]));
  }

  clear() {
    this.userId = null;
    byId('memories').replaceChildren();
    byId('insights').replaceChildren();
    byId('memory-caption').textContent = '';
  }
}

/** "similarity 0.61, importance boost 0.10, ...; score 0.83", for whatever parts the server sends. */
function scoreParts(score) {
  const parts = [];
  if (typeof score.similarity === 'number') parts.push(`similarity ${score.similarity.toFixed(2)}`);
  if (score.vector_rank > 0) parts.push(`vector #${score.vector_rank}`);
  if (score.keyword_rank > 0) parts.push(`keyword #${score.keyword_rank} (BM25 ${score.keyword_score.toFixed(2)})`);
  if (score.window_rank > 0) parts.push(`in the time asked about #${score.window_rank}`);
  for (const k of ['relevance', 'importance_boost', 'recency_boost']) {
    if (typeof score[k] === 'number') parts.push(`${k.replace(/_/g, ' ')} ${score[k].toFixed(2)}`);
  }
  if (score.pinned) parts.push('pinned');
  return typeof score.total === 'number' ? `${parts.join(', ')}; score ${score.total.toFixed(2)}` : parts.join(', ');
}
