import { KEYWORD_BY_NAME, keywordsIn, lex, OPERATORS, type Context, type Token } from '@fluoro/core';
import { quote } from './expressions';

/** What autocomplete knows about the data: from `POST /api/v1/suggestions`. */
export interface CompletionData {
  services: ReadonlyArray<{ name: string; type: string }>;
  annotationKeys: ReadonlyArray<{ key: string; type: string }>;
  users: readonly string[];
}

export type CompletionKind = 'keyword' | 'function' | 'service' | 'annotation' | 'operator' | 'value';

export interface Completion {
  label: string;
  /** Text that replaces `[from, to)`. */
  insert: string;
  /** Where the caret goes, as an offset into `insert` (its end when absent). */
  caret?: number;
  detail: string;
  kind: CompletionKind;
}

export interface CompletionResult {
  from: number;
  to: number;
  items: Completion[];
}

const MAX_ITEMS = 40;

const FUNCTIONS: Completion[] = [
  { label: 'service("…")', insert: 'service("")', caret: 9, detail: 'the trace passes through a node', kind: 'function' },
  {
    label: 'service("…") { … }',
    insert: 'service("") { }',
    caret: 9,
    detail: 'one segment of a node satisfies a condition',
    kind: 'function',
  },
  {
    label: 'edge("…", "…") { … }',
    insert: 'edge("", "") { }',
    caret: 6,
    detail: 'one call between two nodes satisfies a condition',
    kind: 'function',
  },
  { label: 'annotation.', insert: 'annotation.', detail: 'an annotation of any segment', kind: 'annotation' },
  { label: 'attribute.', insert: 'attribute.', detail: 'an OpenTelemetry attribute of any span', kind: 'annotation' },
  {
    label: 'rootcause.fault.service { … }',
    insert: 'rootcause.fault.service {  }',
    caret: 25,
    detail: 'a service on a fault root-cause path',
    kind: 'function',
  },
  {
    label: 'rootcause.error.service { … }',
    insert: 'rootcause.error.service {  }',
    caret: 25,
    detail: 'a service on an error root-cause path',
    kind: 'function',
  },
  {
    label: 'rootcause.responsetime.service { … }',
    insert: 'rootcause.responsetime.service {  }',
    caret: 32,
    detail: 'a service on the response-time root-cause path',
    kind: 'function',
  },
  {
    label: 'rootcause.fault.exception { … }',
    insert: 'rootcause.fault.exception {  }',
    caret: 27,
    detail: 'an exception of a fault root cause',
    kind: 'function',
  },
  { label: 'NOT', insert: 'NOT ', detail: 'negates the next condition', kind: 'operator' },
];

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'];

function blockContext(fn: string): Context | null {
  const f = fn.toLowerCase();
  if (f === 'service') return 'service';
  if (f === 'edge') return 'edge';
  const m = /^rootcause\.(fault|error|responsetime)\.(service|entity|exception)$/.exec(f);
  if (m) return `rc.${m[2]}` as Context;
  return null;
}

interface Scan {
  context: Context;
  /** The function whose parentheses the caret is in (service, edge, id), or null. */
  inParens: string | null;
  /** The `name:`/`type:` label just before the caret inside id( ). */
  idLabel: string | null;
}

/** Where the caret is: which block, which function's arguments. */
function scan(tokens: readonly Token[]): Scan {
  const blocks: Context[] = [];
  const parens: string[] = [];
  let lastFunction = '';
  let idLabel: string | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    if (t.kind === 'word' && blockContext(t.value)) lastFunction = t.value;
    if (t.kind === 'lparen') parens.push(prev?.kind === 'word' ? prev.value.toLowerCase() : '');
    else if (t.kind === 'rparen') parens.pop();
    else if (t.kind === 'lbrace') blocks.push(blockContext(lastFunction) ?? 'trace');
    else if (t.kind === 'rbrace') blocks.pop();
    if (t.kind === 'colon' && prev?.kind === 'word') idLabel = prev.value.toLowerCase();
    else if (t.kind === 'comma' || t.kind === 'lparen') idLabel = null;
  }
  return { context: blocks[blocks.length - 1] ?? 'trace', inParens: parens[parens.length - 1] ?? null, idLabel };
}

const matchesPrefix = (label: string, prefix: string) => label.toLowerCase().startsWith(prefix.toLowerCase());

/**
 * What to offer at `caret` in `text`: keywords valid in the block the caret is in, functions,
 * operators after a keyword, service names inside service()/edge()/id(name:), annotation keys
 * after `annotation.`, users and methods after `user =` / `http.method =`.
 */
export function complete(text: string, caret: number, data: CompletionData): CompletionResult {
  const all = lex(text).filter((t) => t.kind !== 'eof');
  // The token being typed: one that ends at the caret and is a word or an unfinished string.
  const current = all.find(
    (t) =>
      t.start < caret && caret <= t.end && (t.kind === 'word' || t.kind === 'string' || t.kind === 'invalid' || t.kind === 'annotationkey'),
  );
  const before = all.filter((t) => t.end <= (current ? current.start : caret));
  const from = current ? current.start : caret;
  const to = current ? Math.max(caret, current.end) : caret;
  const typed = current ? text.slice(current.start, caret) : '';
  const prefix = typed.replace(/^"/, '');
  const { context, inParens, idLabel } = scan(before);
  const prev = before[before.length - 1];
  const prev2 = before[before.length - 2];
  const result = (items: Completion[]): CompletionResult => ({ from, to, items: items.slice(0, MAX_ITEMS) });

  const serviceItems = (): Completion[] =>
    data.services
      .filter((s) => matchesPrefix(s.name, prefix))
      .map((s) => ({ label: s.name, insert: quote(s.name), detail: s.type, kind: 'service' as const }));

  // Inside service( … ), edge( … ), id(name: …).
  if (inParens === 'service' || inParens === 'edge') {
    if (!prev || prev.kind === 'lparen' || prev.kind === 'comma') {
      const id = matchesPrefix('id(', prefix)
        ? [
            {
              label: 'id(name: …, type: …)',
              insert: 'id(name: "", type: "")',
              caret: 10,
              detail: 'a node by name and type',
              kind: 'function' as const,
            },
          ]
        : [];
      return result([...serviceItems(), ...id]);
    }
    return result([]);
  }
  if (inParens === 'id') {
    if (prev?.kind === 'colon' && idLabel === 'name') return result(serviceItems());
    if (prev?.kind === 'colon' && idLabel === 'type') {
      const types = [...new Set(data.services.map((s) => s.type))];
      return result(
        types
          .filter((t) => matchesPrefix(t, prefix))
          .map((t) => ({ label: t, insert: quote(t), detail: 'node type', kind: 'value' as const })),
      );
    }
    if (!prev || prev.kind === 'lparen' || prev.kind === 'comma') {
      return result(
        ['name', 'type', 'account.id']
          .filter((l) => matchesPrefix(l, prefix))
          .map((l) => ({ label: `${l}:`, insert: `${l}: `, detail: 'id() field', kind: 'keyword' as const })),
      );
    }
    return result([]);
  }

  // annotation.<key>
  if (current?.kind === 'word' && typed.toLowerCase().startsWith('annotation.')) {
    const keyPrefix = typed.slice('annotation.'.length);
    return result(
      data.annotationKeys
        .filter((a) => matchesPrefix(a.key, keyPrefix))
        .map((a) => {
          const plain = /^[A-Za-z_][A-Za-z0-9_]*$/.test(a.key);
          return {
            label: `annotation.${a.key}`,
            insert: plain ? `annotation.${a.key}` : `annotation[${a.key}]`,
            detail: `${a.type} annotation`,
            kind: 'annotation' as const,
          };
        }),
    );
  }

  // A value after an operator.
  const isOperator = (t: Token | undefined) =>
    t !== undefined && (t.kind === 'op' || (t.kind === 'word' && /^(contains|beginswith|endswith)$/i.test(t.value)));
  if (isOperator(prev)) {
    const subject = prev2?.kind === 'word' ? prev2.value.toLowerCase() : '';
    if (subject === 'user')
      return result(
        data.users
          .filter((u) => matchesPrefix(u, prefix))
          .map((u) => ({ label: u, insert: quote(u), detail: 'user', kind: 'value' as const })),
      );
    if (subject === 'http.method')
      return result(
        HTTP_METHODS.filter((m) => matchesPrefix(m, prefix)).map((m) => ({
          label: m,
          insert: quote(m),
          detail: 'HTTP method',
          kind: 'value' as const,
        })),
      );
    if (subject === 'name' && context === 'rc.service') return result(serviceItems());
    const kw = KEYWORD_BY_NAME.get(subject);
    if (kw?.type === 'boolean')
      return result(
        ['true', 'false']
          .filter((b) => matchesPrefix(b, prefix))
          .map((b) => ({ label: b, insert: b, detail: 'boolean', kind: 'value' as const })),
      );
    return result([]);
  }

  // After a keyword: its operators; after a complete condition: AND / OR.
  if (!current && prev) {
    const kw = prev.kind === 'word' ? KEYWORD_BY_NAME.get(prev.value.toLowerCase()) : undefined;
    const annotation = prev.kind === 'word' && prev.value.toLowerCase().startsWith('annotation.');
    const ops: Completion[] =
      kw && kw.type !== 'boolean'
        ? OPERATORS[kw.type]
            .map((o) => o.toUpperCase())
            .map((o) => ({ label: o, insert: `${o} `, detail: `${kw.type} operator`, kind: 'operator' as const }))
        : [];
    const annotationOps: Completion[] = annotation
      ? ['=', '!=', '<', '>', 'CONTAINS'].map((o) => ({ label: o, insert: `${o} `, detail: 'operator', kind: 'operator' as const }))
      : [];
    const done =
      prev.kind === 'string' ||
      prev.kind === 'number' ||
      prev.kind === 'rparen' ||
      prev.kind === 'rbrace' ||
      prev.kind === 'traceid' ||
      (prev.kind === 'word' && (kw?.type === 'boolean' || !kw));
    const joins: Completion[] =
      done || kw ? ['AND', 'OR'].map((j) => ({ label: j, insert: `${j} `, detail: 'combine conditions', kind: 'operator' as const })) : [];
    if (ops.length + annotationOps.length > 0 || done) return result([...ops, ...annotationOps, ...joins]);
  }

  // A condition: keywords of this block, and at the top level, functions.
  const keywords: Completion[] = keywordsIn(context)
    .filter((k) => matchesPrefix(k.name, prefix))
    .map((k) => ({ label: k.name, insert: k.name, detail: k.meaning[context] ?? k.type, kind: 'keyword' as const }));
  const functions = context === 'trace' ? FUNCTIONS.filter((f) => matchesPrefix(f.insert, prefix)) : [];
  return result([...keywords, ...functions]);
}

/** The text and caret after accepting a completion. */
export function applyCompletion(text: string, r: CompletionResult, c: Completion): { text: string; caret: number } {
  return { text: text.slice(0, r.from) + c.insert + text.slice(r.to), caret: r.from + (c.caret ?? c.insert.length) };
}
