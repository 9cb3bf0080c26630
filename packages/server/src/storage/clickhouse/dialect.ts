import type { JsonPath } from '../../query/plan.js';
import { nodePattern, ROUTE_PATTERNS, type ElementSql, type JsonTest, type SqlDialect } from '../sql/dialect.js';
import { constant, join, sql, type SqlFragment, type SqlValue } from '../sql/fragment.js';

/**
 * ClickHouse: typed `{pN:Type}` query parameters, JSON read with the `JSONExtract*` family (keys
 * and 1-based indexes as arguments, so no path syntax to escape), conditional aggregates as
 * `-If` combinators, and root causes searched with `arrayExists` over the stored JSON. Compiled and
 * golden-tested here; the ClickHouse backend that runs it comes with the scale-out work.
 */
export const clickhouseDialect: SqlDialect = {
  name: 'clickhouse',
  placeholder: (index, value) => `{p${index}:${typeOf(value)}}`,
  contains: (h, n) => sql`(position(${h}, ${n}) > 0)`,
  startsWith: (t, p) => sql`startsWith(${t}, ${p})`,
  endsWith: (t, s) => sql`endsWith(${t}, ${s})`,
  jsonMember(col, key, test: JsonTest, compare) {
    const mentioned = sql`(position(${col}, ${`${JSON.stringify(key)}:`}) > 0)`;
    // Bare: a string or number is there, or a boolean is true (as a bare boolean keyword).
    if (test.kind === 'present') {
      return sql`(${mentioned} AND (JSONType(${col}, ${key}) IN ('String', 'Int64', 'UInt64', 'Double') OR (JSONType(${col}, ${key}) = 'Bool' AND JSONExtractBool(${col}, ${key}))))`;
    }
    switch (typeof test.value) {
      case 'string':
        return sql`(${mentioned} AND JSONType(${col}, ${key}) = 'String' AND ${compare(sql`JSONExtractString(${col}, ${key})`)})`;
      case 'number':
        return sql`(${mentioned} AND JSONType(${col}, ${key}) IN ('Int64', 'UInt64', 'Double') AND ${compare(sql`JSONExtractFloat(${col}, ${key})`)})`;
      default:
        return sql`(${mentioned} AND JSONType(${col}, ${key}) = 'Bool' AND ${compare(sql`JSONExtractBool(${col}, ${key})`)})`;
    }
  },
  // Aggregates skip NULL arguments; wrapped in a tuple, the earliest row's NULL is kept.
  argMinWhere: (v, o, w) => sql`argMinIf(tuple(${v}), ${o}, ${w}).1`,
  anyOf: (c) => sql`max(${c})`,
  countWhere: (c) => sql`toInt64(countIf(${c}))`,
  count: () => sql`toInt64(count())`,
  countDistinct: (v) => sql`toInt64(uniqExact(${v}))`,
  urlRoute(url) {
    const { authority, id, version } = ROUTE_PATTERNS;
    const path = sql`replaceRegexpOne(splitByChar('#', splitByChar('?', ${url})[1])[1], ${authority}, '')`;
    const route = sql`arrayStringConcat(arrayMap(s -> if(match(s, ${id}) AND NOT match(s, ${version}), '{id}', s), splitByChar('/', ${path})), '/')`;
    return sql`if(isNull(${url}), NULL, if(${route} = '', '/', ${route}))`;
  },
  nodeText(name, type, account, where) {
    const value = (v: SqlFragment) => sql`ifNull(replaceAll(replaceAll(${v}, char(30), ''), char(31), ''), char(21))`;
    const node = sql`concat(${value(name)}, char(31), ${value(type)}, char(31), ${value(account)})`;
    return sql`nullIf(concat(char(30), arrayStringConcat(groupUniqArrayIf(${node}, ${where}), char(30)), char(30)), char(30, 30))`;
  },
  hasNode(text, m) {
    const p = nodePattern(m);
    if (!p) return sql`(${text} IS NOT NULL)`;
    return 'substring' in p ? sql`(position(${text}, ${p.substring}) > 0)` : sql`match(${text}, ${p.regex})`;
  },

  materialized: (name, body) => sql`${name} AS (${body})`,
  antiJoin: sql`LEFT ANTI JOIN`,
  // A LEFT JOIN fills unmatched columns with their type's default unless told to use NULL.
  nullJoins: sql` SETTINGS join_use_nulls = 1`,
  rootCauseTraces(level, where, cond) {
    const services = sql`JSONExtractArrayRaw(doc, 'Services')`;
    const entities = sql`JSONExtractArrayRaw(sv, 'EntityPath')`;
    const exceptions = sql`JSONExtractArrayRaw(en, 'Exceptions')`;
    const [alias, list]: [SqlFragment, SqlFragment] =
      level === 'service' ? [sql`sv`, services] : level === 'entity' ? [sql`en`, entities] : [sql`ex`, exceptions];
    const i = sql`${alias}_i`;
    const member = (name: string, type: string): SqlFragment => sql`JSONExtract(${alias}, ${constant(name)}, ${constant(type)})`;
    const element: ElementSql = (v) => {
      switch (v) {
        case 'index':
          return sql`(${i} - 1)`;
        case 'first':
          return sql`(${i} = 1)`;
        case 'last':
          return sql`(${i} = length(${list}))`;
        case 'name':
          return member('Name', 'Nullable(String)');
        case 'type':
          return member('Type', 'Nullable(String)');
        case 'message':
          return member('Message', 'Nullable(String)');
        case 'inferred':
          return member('Inferred', 'Nullable(Bool)');
        case 'remote':
          return member('Remote', 'Nullable(Bool)');
        case 'coverage':
          return member('Coverage', 'Nullable(Float64)');
      }
    };
    // The innermost level is enumerated (its index is a keyword); the outer ones only walked.
    let exists = sql`arrayExists((${alias}, ${i}) -> ${cond(element)}, ${list}, arrayEnumerate(${list}))`;
    if (level === 'exception') exists = sql`arrayExists(en -> ${exists}, ${entities})`;
    if (level !== 'service') exists = sql`arrayExists(sv -> ${exists}, ${services})`;
    return sql`SELECT trace_id FROM root_causes WHERE ${where} AND ${exists}`;
  },
  jsonAt: {
    isObject: (path) => sql`(JSONType(${at(path)}) = 'Object')`,
    hasLength: (path, length) => sql`(JSONType(${at(path)}) = 'Array' AND JSONLength(${at(path)}) = ${length})`,
    equals(path, value) {
      if (typeof value === 'string') return sql`(JSONType(${at(path)}) = 'String' AND JSONExtractString(${at(path)}) = ${value})`;
      if (typeof value === 'number')
        return sql`(JSONType(${at(path)}) IN ('Int64', 'UInt64', 'Double') AND JSONExtractFloat(${at(path)}) = ${value})`;
      return sql`(JSONType(${at(path)}) = 'Bool' AND JSONExtractBool(${at(path)}) = ${value})`;
    },
    isNull: (path) => (path.length ? sql`(JSONHas(${at(path)}) AND JSONType(${at(path)}) = 'Null')` : sql`false`),
  },
};

/** `doc, 'Services', 1, 'Name'`: the document and the path as JSON-function arguments (indexes 1-based). */
function at(path: JsonPath): SqlFragment {
  return join([sql`doc`, ...path.map((p) => (typeof p === 'number' ? sql`${p + 1}` : sql`${p}`))]);
}

function typeOf(value: SqlValue): string {
  if (value === null) return 'Nullable(String)';
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return 'Bool';
  return Number.isInteger(value) ? 'Int64' : 'Float64';
}
