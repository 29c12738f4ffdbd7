// The Studio page: lists the bridge's workflows, edits payload, subscriber
// and step controls, previews every step and runs the workflow. It talks only
// to the Studio's own JSON API (api/discover, api/preview, api/run), which
// signs the calls to the bridge on the server side.

import { h, createEditor, FormError } from './schemaform.js';
import { renderOutputs, renderProviders, renderError } from './render.js';

const typeNames = {
  email: 'Email', sms: 'SMS', push: 'Push', chat: 'Chat', in_app: 'In-app', tool: 'Tool',
  delay: 'Delay', digest: 'Digest', throttle: 'Throttle', custom: 'Custom', http_request: 'HTTP request',
};
const typeName = (t) => typeNames[t] || t;

const subscriberSchema = {
  type: 'object',
  properties: {
    subscriberId: { type: 'string', default: 'studio-subscriber' },
    firstName: { type: 'string', default: 'Ada' },
    lastName: { type: 'string', default: 'Lovelace' },
    email: { type: 'string', default: 'ada@example.com' },
    phone: { type: 'string' },
    locale: { type: 'string', default: 'en-US' },
    avatar: { type: 'string' },
    data: { type: 'object', description: 'Custom attributes, as a JSON object.' },
  },
};

const $ = (id) => document.getElementById(id);
const live = (msg) => { const el = $('live'); el.textContent = ''; setTimeout(() => { el.textContent = msg; }, 20); };

let workflows = [];
let subscriberValue;
let view = null; // the open workflow
const edits = new Map(); // workflow id → last payload, controls and digest events, kept while switching
let previewSeq = 0;
let previewTimer = 0;

/** Calls one endpoint of the Studio API. */
async function api(name, body) {
  let res;
  try {
    res = await fetch(`api/${name}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body || {}),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    return { ok: false, error: { message: `The Studio server cannot be reached: ${e.message}` } };
  }
  let data;
  try {
    data = await res.json();
  } catch {
    return { ok: false, error: { status: res.status, message: `The Studio answered ${res.status} without JSON.` } };
  }
  if (!res.ok) return { ok: false, error: data.error || { status: res.status, message: `HTTP ${res.status}` } };
  return { ok: true, data };
}

async function loadWorkflows() {
  const list = $('workflow-list');
  $('wf-loading').hidden = false;
  $('wf-loading').textContent = 'Loading workflows…';
  const r = await api('discover');
  if (!r.ok) {
    $('wf-loading').replaceChildren(renderError(r.error, 'Could not discover the bridge:'));
    $('bridge-status').textContent = 'Bridge: not reachable';
    return;
  }
  workflows = r.data.workflows;
  const steps = workflows.reduce((n, w) => n + w.steps.length, 0);
  $('bridge-status').textContent = `Bridge: ${workflows.length} workflow(s), ${steps} step(s)`;
  $('wf-loading').hidden = workflows.length > 0;
  if (workflows.length === 0) $('wf-loading').textContent = 'The bridge serves no workflows.';
  list.replaceChildren(...workflows.map((wf) => h('li', {},
    h('button', {
      type: 'button', class: 'wf-button', 'data-workflow': wf.workflowId,
      onclick: () => { location.hash = encodeURIComponent(wf.workflowId); },
    },
    h('span', { class: 'wf-name', text: wf.name || wf.workflowId }),
    h('code', { class: 'wf-id', text: wf.workflowId }),
    h('span', { class: 'wf-steps', text: wf.steps.map((s) => typeName(s.type)).join(' → ') || 'no steps' })))));
  openFromHash(false);
}

function openFromHash(focus) {
  const id = decodeURIComponent(location.hash.slice(1));
  const wf = workflows.find((w) => w.workflowId === id);
  if (wf) openWorkflow(wf, focus);
  else if (!view) $('empty').hidden = false;
}

function stepStrip(wf) {
  return h('ol', { class: 'step-strip', 'aria-label': 'Steps' }, wf.steps.map((s) => h('li', {},
    h('span', { class: `badge t-${s.type}`, text: typeName(s.type) }), ' ', h('code', { text: s.stepId }))));
}

function openWorkflow(wf, focus) {
  clearTimeout(previewTimer);
  previewSeq++;
  for (const b of document.querySelectorAll('.wf-button')) {
    if (b.dataset.workflow === wf.workflowId) b.setAttribute('aria-current', 'page');
    else b.removeAttribute('aria-current');
  }
  $('empty').hidden = true;
  const onChange = () => schedulePreview();
  const saved = edits.get(wf.workflowId) || { controls: {} };
  const payloadEditor = createEditor({ schema: wf.payloadSchema, value: saved.payload, idPrefix: 'payload', label: 'Payload', onChange });
  const subscriberEditor = createEditor({
    schema: subscriberSchema, value: subscriberValue, idPrefix: 'subscriber', label: 'Subscriber',
    onChange: () => { try { subscriberValue = subscriberEditor.getValue(); } catch { /* shown in the form */ } schedulePreview(); },
  });
  const hasDigest = wf.steps.some((s) => s.type === 'digest');
  const digestArea = h('textarea', {
    id: 'digest-events', class: 'json', rows: 6, spellcheck: 'false',
    'aria-describedby': 'digest-events-hint digest-events-err',
    placeholder: '[{"id": "event-1", "time": "2024-01-01T10:00:00.000Z", "payload": {}}]',
    oninput: () => { digestErr.hidden = true; digestArea.removeAttribute('aria-invalid'); schedulePreview(); },
  });
  const digestErr = h('p', { class: 'field-error', id: 'digest-events-err', hidden: true });
  const exampleButton = h('button', {
    type: 'button', class: 'small', text: 'Fill in two example events',
    onclick: () => {
      let payload = {};
      try { payload = payloadEditor.getValue(); } catch { /* use {} */ }
      const now = Date.now();
      digestArea.value = JSON.stringify([1, 2].map((i) => ({
        id: `event-${i}`, time: new Date(now - (3 - i) * 60000).toISOString(), payload,
      })), null, 2);
      digestErr.hidden = true;
      schedulePreview();
    },
  });

  const stepViews = wf.steps.map((s, i) => {
    const editor = createEditor({ schema: s.controlsSchema, value: saved.controls[s.stepId], idPrefix: `ctl-${i}`, label: `Controls of ${s.stepId}`, onChange });
    const previewBody = h('div', { class: 'preview-body', 'aria-busy': 'true' }, h('p', { class: 'hint', text: 'Rendering…' }));
    const el = h('article', { class: 'step', id: `step-${i}`, 'aria-labelledby': `step-${i}-title`, 'data-step': s.stepId },
      h('header', { class: 'step-head' },
        h('h4', { id: `step-${i}-title` }, h('span', { class: 'step-no', text: `${i + 1}.` }), ' ', h('code', { text: s.stepId })),
        h('span', { class: `badge t-${s.type}`, text: typeName(s.type) }),
        s.providers.length ? h('span', { class: 'hint', text: `providers: ${s.providers.join(', ')}` }) : null),
      h('div', { class: 'step-body' },
        h('section', { class: 'controls', 'aria-label': `Controls of ${s.stepId}` }, h('h5', { text: 'Controls' }), editor.el),
        h('section', { class: 'preview', 'aria-label': `Preview of ${s.stepId}` }, h('h5', { text: 'Preview' }), previewBody)));
    return { step: s, editor, previewBody, el };
  });

  const runButton = h('button', { type: 'button', class: 'primary', id: 'run-button', text: 'Run workflow', onclick: () => runWorkflow() });
  const previewButton = h('button', { type: 'button', id: 'preview-button', text: 'Refresh preview', onclick: () => refreshPreview() });
  const runSection = h('section', { class: 'run', id: 'run-results', 'aria-labelledby': 'run-title', hidden: true },
    h('h3', { id: 'run-title', tabindex: '-1', text: 'Run' }), h('div', { id: 'run-body' }));

  const tags = wf.tags.length ? h('ul', { class: 'tags', 'aria-label': 'Tags' }, wf.tags.map((t) => h('li', { text: t }))) : null;
  const root = h('div', { class: 'wf-view' },
    h('header', { class: 'wf-head' },
      h('div', {},
        h('h2', { id: 'wf-title', tabindex: '-1', text: wf.name || wf.workflowId }),
        h('p', { class: 'wf-meta' }, h('code', { text: wf.workflowId }),
          wf.severity && wf.severity !== 'none' ? h('span', { class: 'severity', text: ` severity ${wf.severity}` }) : null),
        wf.description ? h('p', { class: 'wf-desc', text: wf.description }) : null,
        tags, stepStrip(wf)),
      h('div', { class: 'wf-actions' }, previewButton, runButton)),
    h('div', { class: 'inputs' },
      h('section', { class: 'panel', 'aria-labelledby': 'payload-title' }, h('h3', { id: 'payload-title', text: 'Payload' }), payloadEditor.el),
      h('section', { class: 'panel', 'aria-labelledby': 'subscriber-title' }, h('h3', { id: 'subscriber-title', text: 'Subscriber' }), subscriberEditor.el),
      hasDigest ? h('section', { class: 'panel', 'aria-labelledby': 'digest-title' },
        h('h3', { id: 'digest-title', text: 'Digest events' }),
        h('label', { for: 'digest-events', text: 'Events the digest collected (JSON array)' }),
        digestArea,
        h('p', { class: 'hint', id: 'digest-events-hint', text: 'Leave empty for the triggering event alone. Each event has an id, a time and a payload.' }),
        digestErr, exampleButton) : null),
    h('section', { class: 'steps', 'aria-labelledby': 'steps-title' },
      h('h3', { id: 'steps-title', text: `Steps (${wf.steps.length})` }),
      stepViews.length ? stepViews.map((v) => v.el) : h('p', { class: 'hint', text: 'This workflow has no steps.' })),
    runSection);

  digestArea.value = saved.digest || '';
  view = { wf, payloadEditor, subscriberEditor, digestArea, digestErr, stepViews, runSection };
  $('workflow').replaceChildren(root);
  $('workflow').hidden = false;
  document.title = `${wf.name || wf.workflowId} · echofn Studio`;
  if (focus) $('wf-title').focus();
  refreshPreview();
}

/** Collects the inputs of a preview or run, or returns null after showing why it cannot. */
function collect() {
  const v = view;
  const req = { workflowId: v.wf.workflowId, controls: {} };
  let ok = true;
  const take = (fn) => { try { return fn(); } catch (e) { if (!(e instanceof FormError)) throw e; ok = false; return undefined; } };
  req.payload = take(() => v.payloadEditor.getValue());
  req.subscriber = take(() => v.subscriberEditor.getValue());
  for (const sv of v.stepViews) req.controls[sv.step.stepId] = take(() => sv.editor.getValue());
  const text = v.digestArea.value.trim();
  if (text !== '') {
    try {
      const events = JSON.parse(text);
      if (!Array.isArray(events)) throw new Error('it must be an array of events');
      req.digestEvents = events;
    } catch (e) {
      v.digestErr.textContent = `Not valid digest events: ${e.message}`;
      v.digestErr.hidden = false;
      v.digestArea.setAttribute('aria-invalid', 'true');
      ok = false;
    }
  }
  if (!ok) return null;
  edits.set(v.wf.workflowId, { payload: req.payload, controls: req.controls, digest: v.digestArea.value });
  return req;
}

/** Shows the bridge's validation errors in the forms they are about. */
function showValidation(steps) {
  const v = view;
  v.payloadEditor.clearErrors();
  for (const sv of v.stepViews) sv.editor.clearErrors();
  let payloadShown = false;
  for (const s of steps) {
    const err = s.error;
    if (!err) continue;
    const list = Array.isArray(err.data) ? err.data
      : err.data && typeof err.data.message === 'string' ? [{ path: '', message: err.data.message }] : null;
    if (!list) continue;
    if (err.code === 'ExecutionEventPayloadInvalidError' && !payloadShown) {
      v.payloadEditor.showErrors(list);
      payloadShown = true;
    } else if (err.code === 'ExecutionStateControlInvalidError') {
      const sv = v.stepViews.find((x) => x.step.stepId === s.stepId);
      if (sv) sv.editor.showErrors(list);
    }
  }
}

function schedulePreview() {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(refreshPreview, 300);
}

async function refreshPreview() {
  clearTimeout(previewTimer);
  if (!view) return;
  const v = view;
  const req = collect();
  if (!req) return;
  const seq = ++previewSeq;
  for (const sv of v.stepViews) sv.previewBody.setAttribute('aria-busy', 'true');
  const r = await api('preview', req);
  if (seq !== previewSeq || v !== view) return; // a newer preview or another workflow
  for (const sv of v.stepViews) sv.previewBody.setAttribute('aria-busy', 'false');
  if (!r.ok) {
    for (const sv of v.stepViews) sv.previewBody.replaceChildren(renderError(r.error, 'Preview failed:'));
    return;
  }
  for (const s of r.data.steps) {
    const sv = v.stepViews.find((x) => x.step.stepId === s.stepId);
    if (!sv) continue;
    const open = new Set([...sv.previewBody.querySelectorAll('details[open] > summary')].map((x) => x.textContent));
    if (s.error || !updateEmailInPlace(sv.previewBody, s)) {
      sv.previewBody.replaceChildren(...(s.error
        ? [renderError(s.error, 'Preview failed:')]
        : [renderOutputs(s.type, s.outputs, s.stepId), renderProviders(s.providers)].filter(Boolean)));
    }
    // Keep open what the reader opened.
    for (const d of sv.previewBody.querySelectorAll('details')) {
      if (open.has(d.querySelector(':scope > summary').textContent)) d.open = true;
    }
  }
  showValidation(r.data.steps);
  document.body.dataset.previews = String(seq);
  live('Preview updated.');
}

/**
 * Updates an email preview without taking its iframe out of the page, which
 * would reload it (and flicker) on every keystroke; the iframe only reloads
 * when the body changed.
 */
function updateEmailInPlace(body, s) {
  const box = body.querySelector(':scope > .out-email');
  const frame = box && box.querySelector(':scope > iframe');
  if (!frame || s.type !== 'email') return false;
  const fresh = renderOutputs(s.type, s.outputs, s.stepId);
  const freshFrame = fresh.querySelector(':scope > iframe');
  if (frame.srcdoc !== freshFrame.srcdoc) {
    delete frame.dataset.loaded;
    frame.srcdoc = freshFrame.srcdoc;
  }
  for (const c of [...box.children]) if (c !== frame) c.remove();
  for (const c of [...fresh.children]) if (c !== freshFrame) box.insertBefore(c, frame);
  for (const c of [...body.children]) if (c !== box) c.remove();
  const providers = renderProviders(s.providers);
  if (providers) body.append(providers);
  return true;
}

function runStatus(s) {
  if (s.error) return ['failed', 'Failed'];
  if (s.skipped) return ['skipped', 'Skipped'];
  if (['delay', 'digest', 'throttle'].includes(s.type)) return ['scheduled', 'Applied'];
  return ['done', 'Executed'];
}

async function runWorkflow() {
  if (!view) return;
  const v = view;
  const req = collect();
  if (!req) { live('Fix the highlighted fields first.'); return; }
  const button = $('run-button');
  button.disabled = true;
  button.textContent = 'Running…';
  const body = $('run-body');
  v.runSection.hidden = false;
  body.replaceChildren(h('p', { class: 'hint', text: 'Running…' }));
  const r = await api('run', req);
  button.disabled = false;
  button.textContent = 'Run workflow';
  if (v !== view) return;
  if (!r.ok) {
    body.replaceChildren(renderError(r.error, 'Run failed:'));
    live('Run failed.');
    return;
  }
  const run = r.data;
  const byId = new Map(run.steps.map((s) => [s.stepId, s]));
  const items = v.wf.steps.map((st, i) => {
    const s = byId.get(st.stepId);
    if (!s) {
      return h('li', { class: 'run-step status-unreached', 'data-step': st.stepId },
        h('div', { class: 'run-step-head' }, h('span', { class: 'status', text: 'Not reached' }),
          h('code', { text: st.stepId }), h('span', { class: `badge t-${st.type}`, text: typeName(st.type) })));
    }
    const [cls, label] = runStatus(s);
    const content = [];
    if (s.note) content.push(h('p', { class: 'note', text: s.note }));
    if (s.error) content.push(renderError(s.error, `Step ${s.stepId} failed:`));
    else if (s.skipped) content.push(h('p', { class: 'hint', text: 'The step asked to be skipped; Novu cancels its job and goes on.' }));
    else content.push(renderOutputs(s.type, s.outputs, s.stepId), renderProviders(s.providers));
    return h('li', { class: `run-step status-${cls}`, 'data-step': s.stepId, 'data-status': cls },
      h('div', { class: 'run-step-head' },
        h('span', { class: 'status', text: label }),
        h('span', { class: 'step-no', text: `${i + 1}.` }),
        h('code', { text: s.stepId }),
        h('span', { class: `badge t-${s.type}`, text: typeName(s.type) }),
        s.durationMs ? h('span', { class: 'hint', text: `${s.durationMs.toFixed(1)} ms` }) : null),
      ...content.filter(Boolean));
  });
  const failed = run.steps.find((s) => s.error);
  const skipped = run.steps.filter((s) => s.skipped).length;
  const summary = failed
    ? `Stopped at step ${failed.stepId}.`
    : `Ran ${run.steps.length} step(s)${skipped ? `, ${skipped} skipped` : ''} in ${run.durationMs.toFixed(1)} ms.`;
  body.replaceChildren(h('p', { class: failed ? 'summary failed' : 'summary', text: summary }),
    h('ol', { class: 'run-steps' }, items));
  showValidation(run.steps);
  live(`Run finished. ${summary}`);
  document.body.dataset.runs = String((Number(document.body.dataset.runs) || 0) + 1);
}

// Module scripts run once the document is parsed, so the elements exist.
window.addEventListener('hashchange', () => openFromHash(true));
$('reload').addEventListener('click', () => loadWorkflows());
loadWorkflows();
