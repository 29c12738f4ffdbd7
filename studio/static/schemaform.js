// Forms generated from JSON Schemas: strings as text inputs (or text areas
// for long text), enums as selects, booleans as checkboxes, numbers as
// number inputs, nested objects as fieldsets and anything else (arrays,
// free-form objects, unions) as a JSON text area. Each editor can switch to
// raw JSON editing, and shows validation errors next to the field named by
// their JSON pointer path.

let uid = 0;

/** Returns a new element with attributes and children. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Escapes one JSON pointer segment. */
export function pointerSegment(key) {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Returns the type a field is edited as. */
export function fieldKind(schema) {
  if (!schema || typeof schema !== 'object') return 'json';
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return 'enum';
  if ('const' in schema) return 'enum';
  let t = schema.type;
  if (Array.isArray(t)) t = t.find((x) => x !== 'null');
  switch (t) {
    case 'string': return 'string';
    case 'number': return 'number';
    case 'integer': return 'integer';
    case 'boolean': return 'boolean';
    case 'object':
      return schema.properties && Object.keys(schema.properties).length > 0 ? 'object' : 'json';
    default: return 'json';
  }
}

/**
 * Maps a bridge validation error to the pointer of the field it is about:
 * a missing required property is reported on its parent ("" with "must have
 * required property 'name'"), and belongs to the field "/name".
 */
export function errorPointer(err) {
  let path = typeof err.path === 'string' ? err.path : '';
  if (path === '/') path = '';
  const m = /must have required property '([^']+)'/.exec(err.message || '');
  if (m) path = `${path}/${pointerSegment(m[1])}`;
  return path;
}

// Keys whose text is usually long: edited in a text area.
const longText = /^(body|html|content|message|markdown|template|text|description)$|(Body|Html|HTML|Content|Markdown|Template)$/;

class FieldSet {
  constructor(form, schema, pointer, value, key, required) {
    this.form = form;
    this.schema = schema || {};
    this.pointer = pointer;
    this.key = key;
    this.required = required;
    this.kind = fieldKind(this.schema);
    const initial = value !== undefined ? value : this.schema.default;
    this.id = `${form.idPrefix}-f${++uid}`;
    this.errorEl = h('p', { class: 'field-error', id: `${this.id}-err`, hidden: true });
    form.nodes.set(pointer, this);
    if (this.kind === 'object') this.buildObject(initial);
    else this.buildField(initial);
  }

  labelFor() {
    const text = this.schema.title || this.key;
    return h('label', { for: this.id },
      h('span', { class: 'field-name', text }),
      this.required ? h('span', { class: 'req', title: 'required', text: ' *' }) : null,
      this.schema.title && this.schema.title !== this.key ? h('code', { class: 'field-key', text: this.key }) : null);
  }

  describedBy(extra) {
    return [extra, `${this.id}-err`].filter(Boolean).join(' ');
  }

  buildObject(initial) {
    const obj = initial && typeof initial === 'object' && !Array.isArray(initial) ? initial : {};
    const props = this.schema.properties || {};
    const req = new Set(Array.isArray(this.schema.required) ? this.schema.required : []);
    this.children = [];
    this.extras = {};
    for (const [k, v] of Object.entries(obj)) if (!(k in props)) this.extras[k] = v;
    const body = [];
    for (const [k, s] of Object.entries(props)) {
      const child = new FieldSet(this.form, s, `${this.pointer}/${pointerSegment(k)}`, obj[k], k, req.has(k));
      this.children.push(child);
      body.push(child.el);
    }
    const extraKeys = Object.keys(this.extras);
    const note = extraKeys.length
      ? h('p', { class: 'hint', text: `Also sent, as given in JSON: ${extraKeys.join(', ')}` })
      : null;
    if (this.pointer === '') {
      this.el = h('div', { class: 'schema-root' }, body, note, this.errorEl);
      if (body.length === 0) this.el.prepend(h('p', { class: 'hint', text: 'No fields.' }));
    } else {
      const desc = this.schema.description ? h('p', { class: 'hint', text: this.schema.description }) : null;
      this.el = h('fieldset', { class: 'nested wide', 'aria-describedby': this.describedBy() },
        h('legend', {}, h('span', { class: 'field-name', text: this.schema.title || this.key }),
          this.required ? h('span', { class: 'req', title: 'required', text: ' *' }) : null),
        desc, body, note, this.errorEl);
    }
  }

  buildField(initial) {
    const s = this.schema;
    const descId = s.description ? `${this.id}-desc` : null;
    const desc = descId ? h('p', { class: 'hint', id: descId, text: s.description }) : null;
    const common = {
      id: this.id,
      name: this.pointer,
      'aria-describedby': this.describedBy(descId),
      'aria-required': this.required ? 'true' : null,
      'data-pointer': this.pointer,
    };
    const changed = () => this.form.changed(this);
    let input;
    switch (this.kind) {
      case 'enum': {
        const options = 'const' in s && !Array.isArray(s.enum) ? [s.const] : s.enum;
        this.options = options;
        input = h('select', { ...common, onchange: changed });
        if (!this.required && s.default === undefined) input.append(h('option', { value: '', text: '(not set)' }));
        options.forEach((o, i) => input.append(h('option', { value: String(i), text: typeof o === 'string' ? o : JSON.stringify(o) })));
        const idx = options.findIndex((o) => JSON.stringify(o) === JSON.stringify(initial));
        input.value = idx >= 0 ? String(idx) : (input.options[0] ? input.options[0].value : '');
        break;
      }
      case 'boolean':
        input = h('input', { ...common, type: 'checkbox', onchange: changed });
        input.checked = initial === true;
        break;
      case 'number':
      case 'integer':
        input = h('input', {
          ...common, type: 'number', inputmode: this.kind === 'integer' ? 'numeric' : 'decimal',
          step: this.kind === 'integer' ? '1' : 'any', oninput: changed,
        });
        if (typeof initial === 'number') input.value = String(initial);
        break;
      case 'string': {
        const text = typeof initial === 'string' ? initial : '';
        const long = text.length > 60 || text.includes('\n') || longText.test(this.key || '') || s.format === 'textarea';
        input = long
          ? h('textarea', { ...common, rows: Math.min(12, Math.max(3, text.split('\n').length + 1)), oninput: changed })
          : h('input', { ...common, type: 'text', oninput: changed, spellcheck: 'false' });
        input.value = text;
        break;
      }
      default: {
        input = h('textarea', { ...common, class: 'json', rows: 4, spellcheck: 'false', oninput: changed });
        input.value = initial === undefined ? '' : JSON.stringify(initial, null, 2);
        this.jsonHint = h('span', { class: 'kind', text: ' (JSON)' });
      }
    }
    this.input = input;
    let cls = this.kind === 'boolean' ? 'field field-check' : 'field';
    if (input.tagName === 'TEXTAREA') cls += ' wide';
    const label = this.labelFor();
    if (this.jsonHint) label.append(this.jsonHint);
    this.el = this.kind === 'boolean'
      ? h('div', { class: cls }, input, label, desc, this.errorEl)
      : h('div', { class: cls }, label, input, desc, this.errorEl);
  }

  /** Returns the field's value, or undefined when it is not set. */
  value() {
    switch (this.kind) {
      case 'object': {
        // A nested object is sent once something in it is set (a checkbox
        // left at its default does not count), so that an untouched one
        // leaves room for the schema's defaults and the preview's made-up
        // values, and a missing required one is reported as such.
        const out = {};
        let set = false;
        for (const c of this.children) {
          const v = c.value();
          if (v === undefined) continue;
          out[c.key] = v;
          if (c.kind !== 'boolean' || v !== (c.schema.default === true)) set = true;
        }
        Object.assign(out, this.extras);
        if (this.pointer === '' || set || Object.keys(this.extras).length) return out;
        return undefined;
      }
      case 'enum':
        return this.input.value === '' ? undefined : this.options[Number(this.input.value)];
      case 'boolean':
        return this.input.checked;
      case 'number':
      case 'integer': {
        if (this.input.value.trim() === '') return undefined;
        const n = Number(this.input.value);
        return Number.isFinite(n) ? n : undefined;
      }
      case 'string':
        return this.input.value === '' ? undefined : this.input.value;
      default: {
        const text = this.input.value.trim();
        if (text === '') return undefined;
        try {
          return JSON.parse(text);
        } catch (e) {
          throw new FormError(this, `Not valid JSON: ${e.message}`);
        }
      }
    }
  }

  setError(messages) {
    const list = messages.filter(Boolean);
    this.errorEl.textContent = list.join('; ');
    this.errorEl.hidden = list.length === 0;
    const target = this.input || this.el;
    if (list.length) target.setAttribute('aria-invalid', 'true');
    else target.removeAttribute('aria-invalid');
    this.el.classList.toggle('has-error', list.length > 0);
  }
}

/** FormError is a field whose text cannot be turned into a value. */
export class FormError extends Error {
  constructor(node, message) {
    super(message);
    this.node = node;
  }
}

/**
 * Creates an editor for a value described by a JSON Schema. It has a form
 * view and a raw JSON view, switched with a toggle button.
 *
 * options: schema, value (initial), idPrefix, label (what is edited, for
 * accessible names), onChange (called after each edit).
 */
export function createEditor({ schema, value, idPrefix, label, onChange }) {
  const ed = {
    idPrefix, nodes: new Map(), jsonMode: false, schema: schema || {}, onChange,
    changed(node) {
      if (node) node.setError([]);
      ed.formErrors.replaceChildren();
      if (ed.onChange) ed.onChange();
    },
  };
  const toggle = h('button', {
    type: 'button', class: 'toggle-json', 'aria-pressed': 'false',
    text: 'Edit as JSON', title: `Edit the ${label} as raw JSON`,
  });
  const jsonId = `${idPrefix}-json`;
  const jsonArea = h('textarea', {
    id: jsonId, class: 'json', rows: 10, spellcheck: 'false',
    'aria-describedby': `${jsonId}-err`,
    oninput: () => { jsonErr.hidden = true; jsonArea.removeAttribute('aria-invalid'); ed.formErrors.replaceChildren(); if (onChange) onChange(); },
  });
  const jsonErr = h('p', { class: 'field-error', id: `${jsonId}-err`, hidden: true });
  const jsonView = h('div', { class: 'json-view', hidden: true },
    h('label', { for: jsonId, text: `${label} (JSON)` }), jsonArea, jsonErr);
  const formView = h('div', { class: 'form-view' });
  ed.formErrors = h('ul', { class: 'form-errors', 'aria-live': 'polite' });
  ed.el = h('div', { class: 'editor' }, h('div', { class: 'editor-bar' }, toggle), formView, jsonView, ed.formErrors);

  function build(v) {
    ed.nodes.clear();
    ed.root = new FieldSet(ed, ed.schema, '', v, '', false);
    formView.replaceChildren(ed.root.el);
  }
  build(value);

  function showJSONError(message) {
    jsonErr.textContent = message;
    jsonErr.hidden = false;
    jsonArea.setAttribute('aria-invalid', 'true');
  }

  /** Returns the current value, or throws a FormError and shows it. */
  ed.getValue = function getValue() {
    if (ed.jsonMode) {
      let v;
      try {
        v = JSON.parse(jsonArea.value);
      } catch (e) {
        showJSONError(`Not valid JSON: ${e.message}`);
        throw new FormError(null, `${label}: not valid JSON`);
      }
      if (v === null || typeof v !== 'object' || Array.isArray(v)) {
        showJSONError('Must be a JSON object.');
        throw new FormError(null, `${label}: must be a JSON object`);
      }
      return v;
    }
    try {
      return ed.root.value();
    } catch (e) {
      if (e instanceof FormError && e.node) e.node.setError([e.message]);
      throw e;
    }
  };

  ed.setValue = function setValue(v) {
    build(v);
    jsonArea.value = JSON.stringify(v, null, 2);
  };

  ed.setJSONMode = function setJSONMode(on) {
    if (on === ed.jsonMode) return true;
    if (on) {
      let v;
      try { v = ed.root.value(); } catch (e) {
        if (e instanceof FormError && e.node) { e.node.setError([e.message]); e.node.input.focus(); }
        return false;
      }
      jsonArea.value = JSON.stringify(v, null, 2);
    } else {
      let v;
      try { v = ed.getValue(); } catch { jsonArea.focus(); return false; }
      build(v);
      if (ed.onChange) setTimeout(ed.onChange, 0);
    }
    ed.jsonMode = on;
    toggle.setAttribute('aria-pressed', String(on));
    toggle.textContent = on ? 'Edit as form' : 'Edit as JSON';
    jsonView.hidden = !on;
    formView.hidden = on;
    ed.formErrors.replaceChildren();
    return true;
  };
  toggle.addEventListener('click', () => { ed.setJSONMode(!ed.jsonMode); });

  ed.clearErrors = function clearErrors() {
    for (const n of ed.nodes.values()) n.setError([]);
    ed.formErrors.replaceChildren();
    jsonErr.hidden = true;
    jsonArea.removeAttribute('aria-invalid');
  };

  /**
   * Shows validation errors ([{path, message}]) next to their fields; those
   * naming no field, and all of them in JSON mode, are listed under the form.
   */
  ed.showErrors = function showErrors(errors) {
    const byNode = new Map();
    for (const err of errors) {
      let p = errorPointer(err);
      let node = ed.nodes.get(p);
      while (!node && p !== '') {
        p = p.slice(0, p.lastIndexOf('/'));
        node = ed.nodes.get(p);
      }
      if (ed.jsonMode || !node || node === ed.root) {
        const where = err.path ? `${err.path}: ` : '';
        ed.formErrors.append(h('li', { class: 'field-error', text: `${where}${err.message}` }));
        continue;
      }
      if (!byNode.has(node)) byNode.set(node, []);
      byNode.get(node).push(err.message);
    }
    for (const [node, msgs] of byNode) node.setError(msgs);
  };

  return ed;
}
