/**
 * SQL is written only as `sql` tagged templates. Every interpolated value becomes a bound
 * parameter; fragments nest. There is deliberately no way to splice a string into the SQL text:
 * identifiers and keywords are part of the template, values never are.
 */

export type SqlValue = string | number | boolean | null;

export class SqlFragment {
  constructor(
    readonly strings: readonly string[],
    readonly values: ReadonlyArray<SqlValue | SqlFragment>,
  ) {}
}

export function sql(strings: TemplateStringsArray, ...values: Array<SqlValue | SqlFragment>): SqlFragment {
  // A template's strings are frozen and the same object at every call: no copy needed.
  return new SqlFragment(strings, values);
}

/**
 * A column or alias name that a compiler generates (`c0`, `root_rt`). Only lower-case letters,
 * digits and underscores: names never come from user input, and anything else is refused.
 */
export function ident(name: string): SqlFragment {
  let f = IDENTS.get(name);
  if (!f) {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`refusing ${JSON.stringify(name)} as an SQL identifier`);
    IDENTS.set(name, (f = new SqlFragment([name], [])));
  }
  return f;
}

/** Identifiers are few (columns, leaf and fact aliases) and fragments immutable: each is made once. */
const IDENTS = new Map<string, SqlFragment>();

/** `a, b, c` (or the given separator) from fragments. */
export function join(fragments: readonly SqlFragment[], separator: SqlFragment = sql`, `): SqlFragment {
  if (fragments.length === 0) return sql``;
  const strings = [''];
  const values: SqlFragment[] = [];
  fragments.forEach((f, i) => {
    if (i > 0) {
      values.push(separator);
      strings.push('');
    }
    values.push(f);
    strings.push('');
  });
  return new SqlFragment(strings, values);
}

/** `(?, ?, ?)` for an IN list; `(NULL)` for an empty one, which matches nothing. */
export function inList(values: readonly SqlValue[]): SqlFragment {
  if (values.length === 0) return sql`(NULL)`;
  return sql`(${join(values.map((v) => sql`${v}`))})`;
}

/** How a database spells the n-th (0-based) parameter. */
export interface Dialect {
  readonly name: string;
  placeholder(index: number, value: SqlValue): string;
}

export interface CompiledSql {
  readonly text: string;
  readonly params: SqlValue[];
}

export function compile(fragment: SqlFragment, dialect: Dialect): CompiledSql {
  const params: SqlValue[] = [];
  let text = '';
  const walk = (f: SqlFragment): void => {
    for (let i = 0; i < f.strings.length; i++) {
      text += f.strings[i];
      if (i < f.values.length) {
        const v = f.values[i]!;
        if (v instanceof SqlFragment) walk(v);
        else {
          text += dialect.placeholder(params.length, v);
          params.push(v);
        }
      }
    }
  };
  walk(fragment);
  return { text, params };
}

/**
 * A string constant that code (never a user) puts in a query, as an SQL literal: a name such as
 * `'client'`, `'Name'` or `'Nullable(Float64)'`, so it needs no escaping and cannot be a way around
 * parameters.
 */
export function constant(text: string): SqlFragment {
  if (!/^[A-Za-z][A-Za-z0-9_]*(\([A-Za-z0-9_]+\))?$/.test(text)) throw new Error(`refusing ${JSON.stringify(text)} as an SQL constant`);
  return new SqlFragment([`'${text}'`], []);
}

/**
 * A regular expression that code (never a user) writes, as an SQL string literal of its source
 * (`\/` read as `/`). Refused with flags, a quote or any other backslash, so every dialect reads the
 * literal alike. A literal and not a parameter: the stores compile a constant pattern once.
 */
export function pattern(re: RegExp): SqlFragment {
  const text = re.source.replaceAll('\\/', '/');
  if (re.flags !== '' || /['\\]/.test(text)) throw new Error(`refusing ${String(re)} as an SQL pattern`);
  return new SqlFragment([`'${text}'`], []);
}
