// Renders step outputs as Novu would deliver or apply them. Everything from
// the bridge is put in the page as text, except an email body, which goes
// into a sandboxed iframe (no scripts, no same-origin access).

import { h } from './schemaform.js';

/** Pretty JSON in a pre block. */
export function jsonBlock(value, label) {
  return h('pre', { class: 'json-out', 'aria-label': label || null, text: JSON.stringify(value, null, 2) });
}

function row(name, value) {
  if (value === undefined || value === null || value === '') return null;
  return h('div', { class: 'out-row' }, h('dt', { text: name }), h('dd', {}, value));
}

function rows(...items) {
  const list = items.filter(Boolean);
  return list.length ? h('dl', { class: 'out-rows' }, list) : null;
}

function plural(n, unit) {
  if (unit === undefined || unit === null) return String(n);
  const u = String(unit);
  return `${n} ${n === 1 && u.endsWith('s') ? u.slice(0, -1) : u}`;
}

const emailFrame = (body, stepId) => {
  const frame = h('iframe', {
    class: 'email-frame', title: `Email body of step ${stepId}`, sandbox: '', referrerpolicy: 'no-referrer',
    onload: (e) => { e.target.dataset.loaded = 'true'; },
  });
  frame.setAttribute('sandbox', '');
  const doc = /<html[\s>]/i.test(body)
    ? body
    : `<!doctype html><meta charset="utf-8"><style>body{font-family:system-ui,sans-serif;margin:16px;color:#1d2433}</style>${body}`;
  frame.srcdoc = doc;
  return frame;
};

function email(o, stepId) {
  const from = o.from ? [o.from.name, o.from.email ? `<${o.from.email}>` : ''].filter(Boolean).join(' ') : '';
  return h('div', { class: 'out-email' },
    rows(
      row('Subject', h('strong', { class: 'email-subject', text: o.subject || '' })),
      row('Preheader', o.preheader),
      row('From', from),
      row('Reply to', o.replyTo),
      o.useProviderDefaults !== undefined ? row('Provider defaults', o.useProviderDefaults ? 'yes' : 'no') : null,
    ),
    emailFrame(o.body || '', stepId));
}

function textMessage(cls, o) {
  return h('div', { class: `out-text ${cls}` }, h('p', { class: 'message-body', text: o.body || '' }));
}

function push(o) {
  return h('div', { class: 'out-push' },
    h('p', { class: 'push-title', text: o.subject || '' }),
    h('p', { class: 'message-body', text: o.body || '' }));
}

function chat(o) {
  return h('div', { class: 'out-chat' },
    o.body ? h('p', { class: 'message-body', text: o.body }) : null,
    o.card ? h('div', { class: 'chat-card' },
      o.card.title ? h('p', { class: 'card-title', text: o.card.title }) : null,
      o.card.subtitle ? h('p', { class: 'hint', text: o.card.subtitle }) : null,
      h('details', {}, h('summary', { text: 'Card (JSON)' }), jsonBlock(o.card))) : null);
}

function redirectText(r) {
  if (!r || !r.url) return '';
  return r.target ? `${r.url} (${r.target})` : r.url;
}

function isImageURL(s) {
  return typeof s === 'string' && /^(https?:|data:image\/)/i.test(s);
}

function inApp(o) {
  const actions = [o.primaryAction, o.secondaryAction].filter(Boolean);
  return h('div', { class: 'out-inapp' },
    h('div', { class: 'inapp-card' },
      isImageURL(o.avatar) ? h('img', {
        class: 'avatar', src: o.avatar, alt: '', width: 40, height: 40, referrerpolicy: 'no-referrer',
        onerror: (e) => e.target.classList.add('broken'),
      }) : null,
      h('div', { class: 'inapp-text' },
        o.subject ? h('p', { class: 'inapp-subject', text: o.subject }) : null,
        o.body ? h('p', { class: 'message-body', text: o.body }) : null,
        actions.length ? h('ul', { class: 'inapp-actions', 'aria-label': 'Actions' },
          actions.map((a, i) => h('li', { class: i === 0 ? 'action primary' : 'action' },
            h('span', { class: 'action-label', text: a.label }),
            a.redirect ? h('span', { class: 'hint', text: ` → ${redirectText(a.redirect)}` }) : null))) : null)),
    rows(
      row('Opens', redirectText(o.redirect)),
      row('Avatar', o.avatar),
      o.data ? row('Data', jsonBlock(o.data)) : null,
    ));
}

/** Describes what a delay step would do. */
export function describeDelay(o) {
  const type = o.type || (o.cron ? 'timed' : o.dynamicKey ? 'dynamic' : 'regular');
  let text;
  if (type === 'timed') text = `Waits until the schedule “${o.cron}” fires`;
  else if (type === 'dynamic') text = `Waits until the time in “${o.dynamicKey}”`;
  else text = `Waits ${plural(o.amount, o.unit)}`;
  if (o.extendToSchedule) text += ', extended to the subscriber’s schedule';
  return `${text}.`;
}

/** Describes what a digest step would do. */
export function describeDigest(o) {
  const type = o.type || (o.cron ? 'timed' : 'regular');
  let text = type === 'timed'
    ? `Collects events until the schedule “${o.cron}” fires`
    : `Collects events for ${plural(o.amount, o.unit)}`;
  if (o.digestKey) text += `, one digest per “${o.digestKey}”`;
  if (o.lookBackWindow) text += `; sends at once when no event came in the last ${plural(o.lookBackWindow.amount, o.lookBackWindow.unit)}`;
  if (o.extendToSchedule) text += ', extended to the subscriber’s schedule';
  return `${text}, then goes on with all of them.`;
}

/** Describes what a throttle step would do. */
export function describeThrottle(o) {
  let text = o.type === 'dynamic'
    ? `Allows ${o.threshold ?? '?'} run(s) per window read from “${o.dynamicKey}”`
    : `Allows ${o.threshold ?? '?'} run(s) per ${plural(o.amount, o.unit)}`;
  if (o.throttleKey) text += `, counted per “${o.throttleKey}”`;
  return `${text}; later runs stop here.`;
}

/** Renders a step's outputs by step type. */
export function renderOutputs(type, outputs, stepId) {
  const o = outputs && typeof outputs === 'object' ? outputs : {};
  switch (type) {
    case 'email': return email(o, stepId);
    case 'sms': return textMessage('out-sms', o);
    case 'tool': return textMessage('out-tool', o);
    case 'push': return push(o);
    case 'chat': return chat(o);
    case 'in_app': return inApp(o);
    case 'delay': return h('div', { class: 'out-action' }, h('p', { class: 'action-text', text: describeDelay(o) }), jsonBlock(o));
    case 'digest': return h('div', { class: 'out-action' }, h('p', { class: 'action-text', text: describeDigest(o) }), jsonBlock(o));
    case 'throttle': return h('div', { class: 'out-action' }, h('p', { class: 'action-text', text: describeThrottle(o) }), jsonBlock(o));
    default: return h('div', { class: 'out-json' }, jsonBlock(o, 'Outputs'));
  }
}

/** Renders provider overrides, if any. */
export function renderProviders(providers) {
  const ids = providers ? Object.keys(providers) : [];
  if (ids.length === 0) return null;
  return h('details', { class: 'providers' },
    h('summary', { text: `Provider overrides: ${ids.join(', ')}` }),
    ids.map((id) => h('div', {}, h('p', { class: 'provider-id', text: id }), jsonBlock(providers[id]))));
}

/** Renders a bridge error: its message, code and data. */
export function renderError(err, prefix) {
  const data = err.data;
  let details = null;
  if (Array.isArray(data) && data.every((d) => d && typeof d === 'object' && 'message' in d)) {
    details = h('ul', { class: 'error-list' }, data.map((d) => h('li', { text: d.path ? `${d.path}: ${d.message}` : d.message })));
  } else if (data !== undefined && data !== null) {
    details = jsonBlock(data, 'Error data');
  }
  return h('div', { class: 'error-box', role: 'alert' },
    h('p', {}, h('strong', { text: prefix || 'Error' }), ` ${err.message || ''}`),
    err.code ? h('p', { class: 'hint' }, h('code', { text: err.code }), err.status ? ` (HTTP ${err.status})` : '') : null,
    details);
}
