/**
 * Orders strings as DuckDB orders VARCHAR (UTF-8 bytes, i.e. code points), where ties in
 * suggestions, groups and records are broken by name. JavaScript's `<` compares UTF-16 units,
 * which puts characters past U+FFFF (surrogate pairs) before U+E000–U+FFFF; this moves them after.
 */
export function byText(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/** `ORDER BY x NULLS LAST` on text. */
export function byTextNullsLast(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return byText(a, b);
}
