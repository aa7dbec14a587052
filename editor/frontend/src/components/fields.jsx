// Inspector controls chosen by the property's JSON type, enum and items (from the catalogue).
import { useState } from 'react';
import LiquidInput from './LiquidInput.jsx';
import { cancelOnEscape, useDraft, useSaveWhenIdle } from '../drafts.js';
import Words from './Words.jsx';
import { choiceLabel, choiceOptions } from '../catalogue.js';

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

const asText = (v) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : String(v));

/** A one-line input that saves its draft on blur or Enter; Escape cancels. */
function DraftInput({ id, prop, draft, setDraft, commit, disabled, inputMode, saved, list }) {
  const escape = cancelOnEscape(setDraft, saved);
  return (
    <input
      id={id}
      list={list}
      inputMode={inputMode}
      value={draft}
      disabled={disabled}
      placeholder={asText(prop.default)}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => (e.key === 'Enter' ? commit() : escape(e))}
      data-testid={`field-${prop.name}`}
    />
  );
}

function TextField({ prop, value, onSave, suggestions, id, disabled, findings }) {
  const [draft, setDraft, save] = useDraft(value, asText, onSave);
  const commit = () => {
    if (draft === asText(value)) return;
    // Keep the JSON type the value already had where the catalogue allows both.
    if (typeof value === 'number' && draft.trim() !== '' && !Number.isNaN(Number(draft))) save(Number(draft), draft);
    else save(draft, draft);
  };
  useSaveWhenIdle(draft, commit);
  // The Console's usual values (Say's voice and language) offered in a datalist; any other
  // text and Liquid are still accepted.
  const offered = prop.suggested && !prop.multiline ? `${id}-suggested` : undefined;
  const datalist = offered ? <Suggested id={offered} prop={prop} value={draft} /> : null;
  if (prop.liquid) {
    return (
      <>
        <LiquidInput
          id={id}
          list={offered}
          value={draft}
          onChange={setDraft}
          onCommit={commit}
          multiline={prop.multiline}
          suggestions={suggestions}
          findings={findings}
          disabled={disabled}
          placeholder={asText(prop.default)}
          data-testid={`field-${prop.name}`}
        />
        {datalist}
      </>
    );
  }
  return (
    <>
      <DraftInput saved={asText(value)} list={offered} {...{ id, prop, draft, setDraft, commit, disabled }} />
      {datalist}
    </>
  );
}

/** The offered values, and what the current one is in words ("Alice", "English (US)"). */
function Suggested({ id, prop, value }) {
  const label = choiceLabel(prop, value);
  return (
    <>
      <datalist id={id} data-testid={`suggested-${prop.name}`}>
        {prop.suggested.map((s) => (
          <option key={s.value} value={s.value} label={s.label} />
        ))}
      </datalist>
      {label !== value ? (
        <p className="cv-muted cv-small" data-testid={`suggested-label-${prop.name}`}>
          {label}
        </p>
      ) : null}
    </>
  );
}

function NumberField({ prop, value, onSave, id, disabled }) {
  const [draft, setDraft] = useDraft(value, asText, onSave);
  const commit = () => {
    if (draft === asText(value)) return;
    if (draft.trim() === '') return onSave(undefined);
    const number = Number(draft);
    if (Number.isNaN(number)) return onSave(draft); // Liquid or text where a number is usual
    onSave(typeof value === 'string' ? draft : number);
  };
  return <DraftInput inputMode="numeric" saved={asText(value)} {...{ id, prop, draft, setDraft, commit, disabled }} />;
}

function ChoiceField({ prop, value, onSave, id, disabled }) {
  const current = asText(value ?? prop.default);
  const options = choiceOptions(prop, current);
  return (
    <select
      id={id}
      value={current}
      disabled={disabled}
      onChange={(e) => {
        const chosen = prop.enum.find((o) => String(o) === e.target.value);
        onSave(chosen === undefined ? e.target.value : chosen);
      }}
      data-testid={`field-${prop.name}`}
    >
      {current ? null : <option value="">—</option>}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

function BooleanField({ prop, value, onSave, id, disabled }) {
  const checked = value === true || value === 'true';
  return (
    <input
      id={id}
      type="checkbox"
      checked={checked}
      disabled={disabled}
      onChange={(e) => onSave(typeof value === 'string' ? String(e.target.checked) : e.target.checked)}
      data-testid={`field-${prop.name}`}
    />
  );
}

function KeyValueField({ prop, value, onSave, suggestions, disabled, findings, labelId }) {
  const rows = Array.isArray(value) ? value : [];
  const update = (index, patch) => onSave(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <div className="cv-kv" role="group" aria-labelledby={labelId} data-testid={`field-${prop.name}`}>
      {rows.map((row, index) => (
        <div className="cv-kv-row" key={index}>
          <CommitInput value={asText(row.key)} placeholder="key" aria-label={`Key ${index + 1}`} disabled={disabled} onSave={(key) => update(index, { key })} />
          <LiquidCommit
            aria-label={`Value ${index + 1}`}
            value={asText(row.value)}
            disabled={disabled}
            suggestions={suggestions}
            findings={(findings || []).filter((f) => f.where.item === index)}
            onSave={(v) => update(index, { value: v })}
          />
          <button type="button" className="cv-icon-button" disabled={disabled} title="Remove" aria-label={`Remove row ${index + 1}`} onClick={() => onSave(rows.filter((_, i) => i !== index))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="cv-link" disabled={disabled} onClick={() => onSave([...rows, { key: '', value: '' }])}>
        + Add
      </button>
    </div>
  );
}

function StringListField({ prop, value, onSave, disabled, labelId }) {
  const items = Array.isArray(value) ? value : [];
  if (prop.enum) {
    const toggle = (option, on) => onSave(on ? [...items, option] : items.filter((i) => i !== option));
    return (
      <div className="cv-checks" role="group" aria-labelledby={labelId} data-testid={`field-${prop.name}`}>
        {prop.enum.map((option) => (
          <label key={option}>
            <input type="checkbox" disabled={disabled} checked={items.includes(option)} onChange={(e) => toggle(option, e.target.checked)} /> {choiceLabel(prop, option)}
          </label>
        ))}
      </div>
    );
  }
  return (
    <div className="cv-kv" role="group" aria-labelledby={labelId} data-testid={`field-${prop.name}`}>
      {items.map((item, index) => (
        <div className="cv-kv-row" key={index}>
          <CommitInput value={asText(item)} aria-label={`Item ${index + 1}`} disabled={disabled} onSave={(v) => onSave(items.map((x, i) => (i === index ? v : x)))} />
          <button type="button" className="cv-icon-button" disabled={disabled} title="Remove" aria-label={`Remove item ${index + 1}`} onClick={() => onSave(items.filter((_, i) => i !== index))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="cv-link" disabled={disabled} onClick={() => onSave([...items, ''])}>
        + Add
      </button>
    </div>
  );
}

function JsonField({ prop, value, onSave, id, disabled }) {
  const toText = (v) => (v === undefined ? '' : JSON.stringify(v, null, 2));
  const [draft, setDraft] = useDraft(value, toText, onSave);
  const [error, setError] = useState('');
  const commit = () => {
    if (draft === toText(value)) return;
    try {
      onSave(draft.trim() ? JSON.parse(draft) : undefined);
      setError('');
    } catch (e) {
      setError('Not valid JSON; not saved');
    }
  };
  return (
    <>
      <textarea id={id} rows={4} value={draft} disabled={disabled} onChange={(e) => setDraft(e.target.value)} onBlur={commit} data-testid={`field-${prop.name}`} />
      {error ? <p className="cv-field-error">{error}</p> : null}
    </>
  );
}

/** Saves on blur or Enter (never while typing: the widget name is one); Escape cancels. */
export function CommitInput({ value, onSave, ...rest }) {
  const [draft, setDraft] = useDraft(value, asText, onSave);
  const commit = () => draft !== value && onSave(draft);
  const escape = cancelOnEscape(setDraft, asText(value));
  return (
    <input
      {...rest}
      value={draft}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => (e.key === 'Enter' ? commit() : escape(e))}
    />
  );
}

export function LiquidCommit({ value, onSave, suggestions, ...rest }) {
  const [draft, setDraft, save] = useDraft(value, asText, onSave);
  const commit = () => draft !== value && save(draft, draft);
  useSaveWhenIdle(draft, commit);
  return <LiquidInput {...rest} value={draft} onChange={setDraft} onCommit={commit} suggestions={suggestions} />;
}

export function controlFor(prop) {
  if (prop.enum && prop.type !== 'array') return ChoiceField;
  if (prop.type === 'boolean') return BooleanField;
  if (prop.type === 'integer' || prop.type === 'number') return NumberField;
  if (prop.type === 'string') return TextField;
  if (prop.type === 'array' && prop.items === 'key_value') return KeyValueField;
  if (prop.type === 'array' && prop.items === 'string') return StringListField;
  return JsonField;
}

/** A problem under its field: errors in red, warnings in amber. */
export function FieldProblem({ problem, testid }) {
  const warning = problem.severity === 'warning';
  return (
    <p
      className={warning ? 'cv-field-warning' : 'cv-field-error'}
      data-testid={testid && `${warning ? 'field-warning' : 'field-problem'}-${testid}`}
      title={problem.message}
    >
      {warning ? 'Warning: ' : ''}
      <Words text={problem.hint || problem.message} />
    </p>
  );
}

/** A linter finding (docs/linter.md) under its field, coloured by its severity. */
export function FieldFinding({ finding }) {
  return (
    <p className={`cv-field-lint cv-field-lint-${finding.severity}`} data-testid={`field-lint-${finding.rule}`} data-severity={finding.severity} title={finding.rule}>
      <Words text={finding.message} />
    </p>
  );
}

// The controls that show their own findings (Liquid text inline, key/value lists per item).
const SHOWS_FINDINGS = new Set([TextField, KeyValueField]);
// The controls that are a group of inputs: labelled as a group, not by a label's `for`.
const GROUPS = new Set([KeyValueField, StringListField]);

export function PropertyField({ prop, value, onSave, suggestions, problems, findings = [], disabled, onTyping, typingNote }) {
  const Control = controlFor(prop);
  const id = `prop-${prop.name}`;
  const save = (next) => {
    if (!same(next, value)) onSave(prop.name, next);
  };
  const errors = problems.some((p) => p.severity !== 'warning');
  const state = errors ? ' has-problem' : problems.length ? ' has-warning' : '';
  const inline = SHOWS_FINDINGS.has(Control) && (Control !== TextField || prop.liquid);
  const shown = inline && Control === KeyValueField ? findings.filter((f) => f.where.item !== undefined) : inline ? findings : [];
  const below = findings.filter((f) => !shown.includes(f));
  return (
    <div className={`cv-field${state}`} onInput={onTyping} data-field={prop.name}>
      <label htmlFor={GROUPS.has(Control) ? undefined : id} id={`${id}-label`}>
        {prop.label}
        {prop.required ? <span className="cv-required" title="Required"> *</span> : null}
      </label>
      <Control prop={prop} value={value} onSave={save} suggestions={suggestions} id={id} labelId={`${id}-label`} disabled={disabled} findings={shown} />
      {typingNote}
      {prop.help ? <p className="cv-help">{prop.help}</p> : null}
      {problems.map((p, i) => (
        <FieldProblem problem={p} key={i} testid={prop.name} />
      ))}
      {below.map((f) => (
        <FieldFinding finding={f} key={f.index} />
      ))}
    </div>
  );
}
