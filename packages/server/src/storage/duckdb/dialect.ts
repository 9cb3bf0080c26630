import type { JsonPath, RootCauseLevel } from '../../query/plan.js';
import { nodePattern, ROUTE_PATTERNS, type ElementSql, type JsonTest, type SqlDialect } from '../sql/dialect.js';
import { sql, type SqlFragment } from '../sql/fragment.js';

const LEVELS: Readonly<Record<RootCauseLevel, { from: SqlFragment; alias: SqlFragment; list: string; parent: SqlFragment }>> = {
  service: { from: sql`root_causes AS rc, json_each(rc.doc, '$.Services') AS sv`, alias: sql`sv`, list: '$.Services', parent: sql`rc.doc` },
  entity: {
    from: sql`root_causes AS rc, json_each(rc.doc, '$.Services') AS sv, json_each(sv.value, '$.EntityPath') AS en`,
    alias: sql`en`,
    list: '$.EntityPath',
    parent: sql`sv.value`,
  },
  exception: {
    from: sql`root_causes AS rc, json_each(rc.doc, '$.Services') AS sv, json_each(sv.value, '$.EntityPath') AS en, json_each(en.value, '$.Exceptions') AS ex`,
    alias: sql`ex`,
    list: '$.Exceptions',
    parent: sql`en.value`,
  },
};

/** `$."Services"[0]."Name"`: DuckDB's JSON path of a path into a root cause (paths of a plan are immutable: each is spelled once). */
function jsonPath(path: JsonPath): string {
  let text = PATHS.get(path);
  if (text === undefined) {
    text = '$';
    for (const p of path) text += typeof p === 'number' ? `[${p}]` : `."${p.includes('"') ? p.replace(/"/g, '\\"') : p}"`;
    PATHS.set(path, text);
  }
  return text;
}

const PATHS = new WeakMap<JsonPath, string>();

/** DuckDB's JSON types of a number (`json_type`, `json_each`'s `type`). */
export const NUMBER_TYPES = sql`('UBIGINT', 'BIGINT', 'DOUBLE')`;
const TEXT_OR_NUMBER = sql`('VARCHAR', 'UBIGINT', 'BIGINT', 'DOUBLE')`;

/** DuckDB: `$n` parameters, JSON columns read with `json_type` and `->>`, root causes walked with `json_each`. */
export const duckdbDialect: SqlDialect = {
  name: 'duckdb',
  placeholder: (index) => `$${index + 1}`,
  contains: (h, n) => sql`contains(${h}, ${n})`,
  startsWith: (t, p) => sql`starts_with(${t}, ${p})`,
  endsWith: (t, s) => sql`ends_with(${t}, ${s})`,
  jsonMember(col, key, test: JsonTest, compare) {
    // A JSON pointer: any key (dots, quotes, slashes) with only ~ and / to escape.
    const path = `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    // The column is JSON.stringify's output, so the key appears exactly as this text: a substring
    // test (cheap) rules out most rows before the JSON is parsed.
    const mentioned = sql`contains(${col}, ${`${JSON.stringify(key)}:`})`;
    // Bare: a string or number is there, or a boolean is true (as a bare boolean keyword).
    if (test.kind === 'present') {
      return sql`(${mentioned} AND (json_type(${col}, ${path}) IN ${TEXT_OR_NUMBER} OR (json_type(${col}, ${path}) = 'BOOLEAN' AND (${col} ->> ${path}) = 'true')))`;
    }
    switch (typeof test.value) {
      case 'string':
        return sql`(${mentioned} AND json_type(${col}, ${path}) = 'VARCHAR' AND ${compare(sql`(${col} ->> ${path})`)})`;
      case 'number':
        return sql`(${mentioned} AND json_type(${col}, ${path}) IN ${NUMBER_TYPES} AND ${compare(sql`CAST(${col} ->> ${path} AS DOUBLE)`)})`;
      default:
        return sql`(${mentioned} AND json_type(${col}, ${path}) = 'BOOLEAN' AND ${compare(sql`CAST(${col} ->> ${path} AS BOOLEAN)`)})`;
    }
  },
  // arg_min_null: the earliest row's value even when it is NULL (arg_min would skip to a later row's).
  argMinWhere: (v, o, w) => sql`arg_min_null(${v}, ${o}) FILTER (WHERE ${w})`,
  anyOf: (c) => sql`bool_or(${c})`,
  countWhere: (c) => sql`(count(*) FILTER (WHERE ${c}))::INTEGER`,
  count: () => sql`count(*)::INTEGER`,
  countDistinct: (v) => sql`count(DISTINCT ${v})::INTEGER`,
  urlRoute(url) {
    const { authority, id, version } = ROUTE_PATTERNS;
    const path = sql`regexp_replace(split_part(split_part(${url}, '?', 1), '#', 1), ${authority}, '')`;
    const segment = sql`lambda s: CASE WHEN regexp_matches(s, ${id}) AND NOT regexp_matches(s, ${version}) THEN '{id}' ELSE s END`;
    return sql`(CASE WHEN ${url} IS NOT NULL THEN coalesce(nullif(array_to_string(list_transform(string_split(${path}, '/'), ${segment}), '/'), ''), '/') END)`;
  },
  nodeText(name, type, account, where) {
    const value = (v: SqlFragment) => sql`coalesce(replace(replace(${v}, chr(30), ''), chr(31), ''), chr(21))`;
    return sql`(chr(30) || string_agg(DISTINCT ${value(name)} || chr(31) || ${value(type)} || chr(31) || ${value(account)}, chr(30)) FILTER (WHERE ${where}) || chr(30))`;
  },
  hasNode(text, m) {
    const p = nodePattern(m);
    if (!p) return sql`(${text} IS NOT NULL)`;
    return 'substring' in p ? sql`contains(${text}, ${p.substring})` : sql`regexp_matches(${text}, ${p.regex})`;
  },

  // DuckDB inlines a CTE each place it is used unless told otherwise (measured: three times).
  materialized: (name, body) => sql`${name} AS MATERIALIZED (${body})`,
  antiJoin: sql`ANTI JOIN`,
  nullJoins: sql``,
  rootCauseTraces(level, where, cond) {
    const { from, alias, list, parent } = LEVELS[level];
    const index = sql`CAST(${alias}.key AS INTEGER)`;
    const element: ElementSql = (v) => {
      switch (v) {
        case 'index':
          return index;
        case 'first':
          return sql`(${index} = 0)`;
        case 'last':
          return sql`(${index} = json_array_length(${parent}, ${list}) - 1)`;
        case 'name':
          return sql`(${alias}.value ->> '$.Name')`;
        case 'type':
          return sql`(${alias}.value ->> '$.Type')`;
        case 'message':
          return sql`(${alias}.value ->> '$.Message')`;
        case 'inferred':
          return sql`CAST(${alias}.value ->> '$.Inferred' AS BOOLEAN)`;
        case 'remote':
          return sql`CAST(${alias}.value ->> '$.Remote' AS BOOLEAN)`;
        case 'coverage':
          return sql`CAST(${alias}.value ->> '$.Coverage' AS DOUBLE)`;
      }
    };
    return sql`SELECT rc.trace_id FROM ${from} WHERE ${where} AND ${cond(element)}`;
  },
  jsonAt: {
    isObject: (path) => sql`coalesce(json_type(doc, ${jsonPath(path)}) = 'OBJECT', false)`,
    hasLength: (path, length) => sql`coalesce(json_array_length(doc, ${jsonPath(path)}) = ${length}, false)`,
    equals(path, value) {
      const p = jsonPath(path);
      if (typeof value === 'string') return sql`coalesce(json_type(doc, ${p}) = 'VARCHAR' AND (doc ->> ${p}) = ${value}, false)`;
      if (typeof value === 'number')
        return sql`coalesce(json_type(doc, ${p}) IN ${NUMBER_TYPES} AND CAST(doc ->> ${p} AS DOUBLE) = ${value}, false)`;
      return sql`coalesce(json_type(doc, ${p}) = 'BOOLEAN' AND CAST(doc ->> ${p} AS BOOLEAN) = ${value}, false)`;
    },
    isNull: (path) => sql`coalesce(json_type(doc, ${jsonPath(path)}) = 'NULL', false)`,
  },
};
