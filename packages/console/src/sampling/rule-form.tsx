import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { createSamplingRule, updateSamplingRule } from '../api/fluoro';
import type { SamplingRule } from '../api/xray-types';
import { Dialog } from '../ui/dialog';
import {
  DEFAULT_RULE,
  fieldsNamedIn,
  formFromRule,
  hints,
  isEmptyUpdate,
  MATCHERS,
  MAX_ATTRIBUTES,
  newForm,
  ruleFromForm,
  unsendable,
  updateFromForm,
  type FieldKey,
  type RuleForm,
} from './rule-form-model';

export type Outcome = 'created' | 'updated' | 'unchanged';

const ALL: ReadonlySet<FieldKey> = new Set<FieldKey>([
  'RuleName',
  'Priority',
  'FixedRate',
  'ReservoirSize',
  'Attributes',
  ...MATCHERS.map((m) => m.key),
]);
const EDIT: ReadonlySet<FieldKey> = new Set([...ALL].filter((k) => k !== 'RuleName'));
const DEFAULT_EDIT: ReadonlySet<FieldKey> = new Set<FieldKey>(['FixedRate', 'ReservoirSize']);

const METHODS = ['*', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/**
 * Creates a rule (`rule` null) or edits one: only what changed is sent, and for the Default
 * rule only its rate and reservoir are offered. Hints appear as fields are changed; Fluoro's
 * own message, when it refuses, is shown as it is, and the fields it names are marked.
 */
export function RuleFormDialog({
  rule: given,
  suggestedPriority,
  onDone,
  onCancel,
}: {
  rule: SamplingRule | null;
  suggestedPriority: number;
  onDone(name: string, outcome: Outcome): void;
  onCancel(): void;
}) {
  // The rule as it was when the form opened: a refresh meanwhile must not turn into changes.
  const [rule] = useState(given);
  const isDefault = rule?.RuleName === DEFAULT_RULE;
  const editable = rule === null ? ALL : isDefault ? DEFAULT_EDIT : EDIT;
  const [form, setForm] = useState<RuleForm>(() => (rule ? formFromRule(rule) : newForm(suggestedPriority)));
  const [touched, setTouched] = useState<ReadonlySet<FieldKey>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ title: string; message: string; fields: FieldKey[] } | null>(null);

  const h = hints(form, editable);
  const hintOf = (k: FieldKey) => (submitted || touched.has(k) ? h[k] : undefined);
  const set = <K extends keyof RuleForm>(k: K, v: RuleForm[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setTouched((t) => new Set(t).add(k));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    setError(null);
    try {
      if (rule) {
        const empty = unsendable(form, h);
        if (empty.length) {
          setError({ title: 'Not sent.', message: empty.map((k) => h[k]).join(' '), fields: empty });
          return;
        }
        const update = updateFromForm(rule, form);
        if (isEmptyUpdate(update)) return onDone(rule.RuleName, 'unchanged');
        setSaving(true);
        await updateSamplingRule(update);
        onDone(rule.RuleName, 'updated');
      } else {
        const created = ruleFromForm(form);
        setSaving(true);
        await createSamplingRule(created);
        onDone(created.RuleName, 'created');
      }
    } catch (err) {
      const message = (err as Error).message;
      setError({ title: 'Not saved.', message, fields: fieldsNamedIn(err instanceof ApiError ? err.detail : message) });
      setSaving(false);
    }
  };

  const field = (k: FieldKey, label: string, control: (props: ControlProps) => ReactNode, help?: ReactNode) => {
    const id = `rule-${k}`;
    const hint = hintOf(k);
    const named = error?.fields.includes(k) ?? false;
    const describedBy =
      [hint ? `${id}-hint` : null, help ? `${id}-help` : null, named ? 'rule-form-error' : null].filter(Boolean).join(' ') || undefined;
    return (
      <div className="form-field" data-field={k}>
        <label htmlFor={id}>{label}</label>
        {control({
          id,
          'aria-invalid': hint || named ? true : undefined,
          'aria-describedby': describedBy,
          'data-testid': `rule-field-${k}`,
        })}
        {help && (
          <span className="field-help muted small" id={`${id}-help`}>
            {help}
          </span>
        )}
        {hint && (
          <span className="field-problem small" id={`${id}-hint`} data-testid={`rule-hint-${k}`}>
            {hint}
          </span>
        )}
      </div>
    );
  };
  const readOnly = (label: string, value: ReactNode, testId?: string) => (
    <div className="form-field">
      <span className="field-label">{label}</span>
      <span className="read-only mono" data-testid={testId}>
        {value}
      </span>
    </div>
  );
  const first = rule === null ? 'RuleName' : isDefault ? 'ReservoirSize' : 'Priority';
  const auto = (k: FieldKey) => (k === first ? { 'data-autofocus': true } : {});

  return (
    <Dialog title={rule ? `Edit rule ${rule.RuleName}` : 'New sampling rule'} onClose={onCancel} testId="rule-dialog" wide>
      <form className="rule-form" onSubmit={submit} noValidate>
        <fieldset>
          <legend>Rule</legend>
          {rule
            ? readOnly('Name', rule.RuleName, 'rule-name')
            : field(
                'RuleName',
                'Name',
                (p) => (
                  <input
                    {...p}
                    {...auto('RuleName')}
                    value={form.RuleName}
                    maxLength={64}
                    autoComplete="off"
                    spellCheck={false}
                    onChange={(e) => set('RuleName', e.target.value)}
                  />
                ),
                'At most 32 letters, digits, - and _',
              )}
          {isDefault
            ? readOnly('Priority', '10000 (always evaluated last)')
            : field(
                'Priority',
                'Priority',
                (p) => (
                  <input
                    {...p}
                    {...auto('Priority')}
                    type="number"
                    min={1}
                    max={9999}
                    step={1}
                    value={form.Priority}
                    onChange={(e) => set('Priority', e.target.value)}
                  />
                ),
                '1–9999; the lowest number is matched first',
              )}
        </fieldset>
        <fieldset>
          <legend>Sampling</legend>
          {field(
            'ReservoirSize',
            'Reservoir',
            (p) => (
              <span className="with-unit">
                <input
                  {...p}
                  {...auto('ReservoirSize')}
                  type="number"
                  min={0}
                  step={1}
                  value={form.ReservoirSize}
                  onChange={(e) => set('ReservoirSize', e.target.value)}
                />
                <span className="muted">per second</span>
              </span>
            ),
            'Requests recorded each second before the fixed rate applies, shared by all instances',
          )}
          {field(
            'FixedRate',
            'Fixed rate',
            (p) => (
              <span className="with-unit">
                <input
                  {...p}
                  type="number"
                  min={0}
                  max={100}
                  step="any"
                  value={form.FixedRate}
                  onChange={(e) => set('FixedRate', e.target.value)}
                />
                <span className="muted">%</span>
              </span>
            ),
            'Share of the requests beyond the reservoir that are recorded',
          )}
        </fieldset>
        <fieldset>
          <legend>Matches</legend>
          {isDefault ? (
            <p className="muted">Every request no other rule matches. The Default rule’s matchers cannot change; it cannot be deleted.</p>
          ) : (
            <>
              <p className="muted small field-wide">
                <code>*</code> matches any characters, <code>?</code> one character; the SDKs do the matching.
              </p>
              {MATCHERS.map((m) =>
                field(
                  m.key,
                  m.label,
                  (p) => (
                    <input
                      {...p}
                      value={form[m.key]}
                      maxLength={m.max + 20}
                      autoComplete="off"
                      spellCheck={false}
                      list={m.key === 'HTTPMethod' ? 'rule-methods' : undefined}
                      onChange={(e) => set(m.key, e.target.value)}
                    />
                  ),
                  m.help,
                ),
              )}
              <datalist id="rule-methods">
                {METHODS.map((x) => (
                  <option key={x} value={x} />
                ))}
              </datalist>
            </>
          )}
        </fieldset>
        {!isDefault && (
          <Attributes
            form={form}
            onChange={(a) => set('Attributes', a)}
            hint={hintOf('Attributes')}
            named={error?.fields.includes('Attributes') ?? false}
          />
        )}
        {error && (
          <div className="state state-error form-error" role="alert" id="rule-form-error" data-testid="rule-form-error">
            <strong>{error.title}</strong>{' '}
            <span className="mono" data-testid="rule-form-message">
              {error.message}
            </span>
          </div>
        )}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={saving} data-testid="rule-save">
            {saving ? 'Saving…' : rule ? 'Save changes' : 'Create rule'}
          </button>
          <button type="button" onClick={onCancel} data-testid="rule-cancel">
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
  'data-testid': string;
}

/** Up to five key/value pairs; a row left empty is not sent. */
function Attributes({
  form,
  onChange,
  hint,
  named,
}: {
  form: RuleForm;
  onChange(a: RuleForm['Attributes']): void;
  hint: string | undefined;
  named: boolean;
}) {
  const rows = form.Attributes;
  const change = (i: number, part: 'key' | 'value', v: string) => onChange(rows.map((r, j) => (j === i ? { ...r, [part]: v } : r)));
  return (
    <fieldset className="attributes" aria-describedby="rule-attributes-help" data-field="Attributes">
      <legend>Attributes</legend>
      <p className="muted small field-wide" id="rule-attributes-help">
        Up to {MAX_ATTRIBUTES} key/value pairs the request must carry. X-Ray SDKs skip rules with attributes or a resource ARN other than{' '}
        <code>*</code>; Fluoro keeps and serves them.
      </p>
      {rows.map((r, i) => (
        <div className="attribute-row" key={i} data-testid="rule-attribute">
          <input
            aria-label={`Attribute ${i + 1} key`}
            aria-invalid={hint || named ? true : undefined}
            placeholder="key"
            value={r.key}
            onChange={(e) => change(i, 'key', e.target.value)}
          />
          <input
            aria-label={`Attribute ${i + 1} value`}
            aria-invalid={named ? true : undefined}
            placeholder="value"
            value={r.value}
            onChange={(e) => change(i, 'value', e.target.value)}
          />
          <button
            type="button"
            className="icon-button"
            aria-label={`Remove attribute ${i + 1}`}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </div>
      ))}
      {hint && (
        <span className="field-problem small field-wide" data-testid="rule-hint-Attributes">
          {hint}
        </span>
      )}
      <div className="field-wide">
        <button type="button" disabled={rows.length >= MAX_ATTRIBUTES} onClick={() => onChange([...rows, { key: '', value: '' }])}>
          Add attribute
        </button>
      </div>
    </fieldset>
  );
}
