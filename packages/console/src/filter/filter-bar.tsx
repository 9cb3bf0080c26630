import { analyzeFilter } from '@fluoro/core';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { AnalyzeResponse } from '@fluoro/contracts';
import { isAbort } from '../api/client';
import { analyzeFilterRemote } from '../api/fluoro';
import { navigate } from '../app/router';
import { applyCompletion, complete, type CompletionData, type CompletionResult } from './completions';
import { extractTraceId } from './expressions';
import { Highlighted, type Diagnostic } from './highlighted';

const NO_DATA: CompletionData = { services: [], annotationKeys: [], users: [] };

export interface FilterBarProps {
  /** The applied expression (from the URL). */
  value: string;
  onSubmit(expression: string): void;
  completionData?: CompletionData | undefined;
  label?: string;
  /** Distinguishes several bars on one page (analytics sets A and B). */
  testId?: string;
  placeholder?: string;
}

/**
 * The filter-expression bar: highlighting as you type (core's analyzeFilter, in the browser),
 * diagnostics from the server (`POST /api/v1/filter/analyze`, the same checker the queries use),
 * autocomplete, and paste-a-trace-ID-to-open-it.
 */
export function FilterBar({
  value,
  onSubmit,
  completionData,
  label = 'Filter expression',
  testId = 'filter',
  placeholder,
}: FilterBarProps) {
  const [text, setText] = useState(value);
  const [caret, setCaret] = useState(0);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [server, setServer] = useState<{ text: string; result: AnalyzeResponse } | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const listId = useId();

  useEffect(() => setText(value), [value]);

  const local = useMemo(() => analyzeFilter(text), [text]);

  useEffect(() => {
    if (!text.trim()) {
      setServer(null);
      return;
    }
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      analyzeFilterRemote(text, ctrl.signal).then(
        (result) => {
          setServer({ text, result });
          setServerError(null);
        },
        (err: unknown) => !isAbort(err) && setServerError((err as Error).message),
      );
    }, 150);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [text]);

  const fromServer = server !== null && server.text === text;
  const diagnostics: readonly Diagnostic[] = fromServer ? server.result.diagnostics : local.diagnostics;
  const diagnostic = diagnostics[0] ?? null;

  const completion: CompletionResult | null = useMemo(
    () => (open ? complete(text, caret, completionData ?? NO_DATA) : null),
    [open, text, caret, completionData],
  );
  const items = completion?.items ?? [];
  const showList = open && items.length > 0;

  const accept = (index: number) => {
    const item = items[index];
    if (!completion || !item) return;
    const next = applyCompletion(text, completion, item);
    setText(next.text);
    setActive(0);
    requestAnimationFrame(() => {
      input.current?.setSelectionRange(next.caret, next.caret);
      setCaret(next.caret);
    });
  };

  const submit = () => {
    setOpen(false);
    const expr = text.trim();
    const id = extractTraceId(expr);
    if (id && !expr.includes(' ')) return navigate(`/traces/${id}`);
    onSubmit(expr);
  };

  // Whether the user moved through the list since the last edit: only then does Enter take a
  // suggestion instead of running the query.
  const listTouched = useRef(false);
  useEffect(() => {
    listTouched.current = false;
  }, [text]);

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (showList && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      listTouched.current = true;
      setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length);
      return;
    }
    if (showList && (e.key === 'Tab' || (e.key === 'Enter' && !e.shiftKey && listTouched.current))) {
      e.preventDefault();
      accept(active);
      return;
    }
    if (e.key === 'Escape') {
      setOpen(false);
      return;
    }
    if (e.key === ' ' && e.ctrlKey) {
      e.preventDefault();
      setOpen(true);
      return;
    }
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      submit();
    }
  };
  return (
    <div className="filter-bar" data-testid={testId}>
      <label className="visually-hidden" htmlFor={`${listId}-input`}>
        {label}
      </label>
      <div className={`filter-editor${diagnostic ? ' has-problem' : ''}`}>
        <Highlighted text={text} tokens={local.tokens} diagnostic={diagnostic} />
        <textarea
          id={`${listId}-input`}
          ref={input}
          value={text}
          rows={1}
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="off"
          placeholder={placeholder ?? 'Filter expression, e.g. service("cart") { fault } AND responsetime > 1 — or paste a trace ID'}
          role="combobox"
          aria-expanded={showList}
          aria-controls={`${listId}-list`}
          aria-autocomplete="list"
          aria-activedescendant={showList ? `${listId}-opt-${active}` : undefined}
          aria-invalid={diagnostic ? true : undefined}
          aria-describedby={`${listId}-diag`}
          data-testid={`${testId}-input`}
          onChange={(e) => {
            setText(e.target.value);
            setCaret(e.target.selectionStart);
            setOpen(true);
            setActive(0);
          }}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onPaste={(e) => {
            const pasted = e.clipboardData.getData('text');
            const id = extractTraceId(pasted);
            const el = e.currentTarget;
            const replacesAll = el.selectionStart === 0 && el.selectionEnd === el.value.length;
            if (id && (text.trim() === '' || replacesAll)) {
              e.preventDefault();
              navigate(`/traces/${id}`);
            }
          }}
        />
        {showList && (
          <ul className="completions" role="listbox" id={`${listId}-list`} data-testid={`${testId}-completions`}>
            {items.map((c, i) => (
              <li
                key={`${c.kind}:${c.label}`}
                id={`${listId}-opt-${i}`}
                role="option"
                aria-selected={i === active}
                className={`completion kind-${c.kind}${i === active ? ' active' : ''}`}
                onMouseDown={(e) => {
                  e.preventDefault();
                  accept(i);
                }}
              >
                <span className="completion-label">{c.label}</span>
                <span className="completion-detail">{c.detail}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <button type="button" className="primary" onClick={submit} data-testid={`${testId}-run`}>
        Run
      </button>
      {value && (
        <button
          type="button"
          onClick={() => {
            setText('');
            onSubmit('');
          }}
        >
          Clear
        </button>
      )}
      <div className="filter-diagnostics" id={`${listId}-diag`} aria-live="polite">
        {diagnostic && (
          <span
            className="diagnostic"
            data-testid={`${testId}-diagnostic`}
            data-source={fromServer ? 'server' : 'local'}
            data-start={diagnostic.start}
            data-end={diagnostic.end}
            data-line={diagnostic.line}
            data-column={diagnostic.column}
          >
            <b>
              {diagnostic.line}:{diagnostic.column}
            </b>{' '}
            {diagnostic.message}
          </span>
        )}
        {serverError && <span className="diagnostic muted">Server check unavailable: {serverError}</span>}
      </div>
    </div>
  );
}
