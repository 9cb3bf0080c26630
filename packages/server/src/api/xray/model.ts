import { readFileSync } from 'node:fs';
import type { XrayOperationName, XrayOperations } from '@fluoro/contracts';
import { invalidRequest } from '../../platform/errors/catalog.js';

/**
 * The X-Ray API model (botocore `xray/2016-04-12/service-2.json`, Apache-2.0), shipped with the
 * server. Routes come from its operations and requests are validated against its shapes, so paths,
 * required members, lengths, ranges and enums are exactly X-Ray's.
 */
interface ShapeRef {
  readonly shape: string;
}
interface Shape {
  readonly type: string;
  readonly required?: readonly string[];
  readonly members?: Readonly<Record<string, ShapeRef>>;
  readonly member?: ShapeRef;
  readonly key?: ShapeRef;
  readonly value?: ShapeRef;
  readonly min?: number;
  readonly max?: number;
  readonly enum?: readonly string[];
  readonly pattern?: string;
}
export interface Operation<N extends XrayOperationName = XrayOperationName> {
  readonly name: N;
  readonly http: { readonly method: string; readonly requestUri: string };
  readonly input?: ShapeRef;
  readonly output?: ShapeRef;
}
interface Model {
  // The operations are XrayOperations' (types.test.ts holds the generated types to this model).
  readonly operations: { readonly [N in XrayOperationName]: Operation<N> };
  readonly shapes: Readonly<Record<string, Shape>>;
}

const model = JSON.parse(readFileSync(new URL('../../../model/xray-2016-04-12.json', import.meta.url), 'utf8')) as Model;

export const OPERATIONS: readonly Operation[] = Object.values(model.operations);

/**
 * Checks a request body against an operation's input shape and returns it with timestamps as
 * epoch seconds. Throws `InvalidRequestException` listing every violation the way AWS services
 * word them: `Value null at 'startTime' failed to satisfy constraint: Member must not be null`.
 * Members the model does not know are ignored, as AWS services do.
 *
 * The result is typed as the operation's input (@fluoro/contracts, generated from this model):
 * what passed the check has the shape's members, types and required members, so this is the one
 * place that asserts it and handlers read their input without casts.
 */
export function validateInput<N extends XrayOperationName>(operation: Operation<N>, body: unknown): XrayOperations[N]['input'] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalidRequest('the request body must be a JSON object');
  }
  if (!operation.input) return {} as XrayOperations[N]['input'];
  const problems: string[] = [];
  const value = check(model.shapes[operation.input.shape]!, body, '', problems);
  if (problems.length) {
    throw invalidRequest(`${problems.length} validation error${problems.length > 1 ? 's' : ''} detected: ${problems.join('; ')}`);
  }
  return value as XrayOperations[N]['input'];
}

/**
 * Checks members of `value` against the members of the same name in another structure of the
 * model, naming them under `path`, and throws as {@link validateInput} does. For requests whose
 * own shape is looser than what they change: `SamplingRuleUpdate`'s numbers are unbounded in the
 * model, but the rule they update holds them to `SamplingRule`'s ranges.
 */
export function validateMembersAs<T extends object>(
  structure: string,
  value: T,
  path: string,
  members: ReadonlyArray<keyof T & string>,
): void {
  const shape = model.shapes[structure]!;
  const given: Readonly<Record<string, unknown>> = Object.fromEntries(Object.entries(value));
  const problems: string[] = [];
  for (const name of members) {
    const ref = shape.members?.[name];
    if (ref && given[name] !== undefined && given[name] !== null) check(model.shapes[ref.shape]!, given[name], join(path, name), problems);
  }
  if (problems.length)
    throw invalidRequest(`${problems.length} validation error${problems.length > 1 ? 's' : ''} detected: ${problems.join('; ')}`);
}

/**
 * The ways `value` departs from an operation's output shape (types, enums, lengths); empty when
 * it conforms. Responses are built by hand, so tests hold every one of them to the model.
 */
export function outputProblems(operationName: XrayOperationName, value: unknown): string[] {
  const op = model.operations[operationName];
  if (!op?.output) return [`no output shape for ${operationName}`];
  const problems: string[] = [];
  check(model.shapes[op.output.shape]!, value, '', problems, true);
  return problems;
}

function check(shape: Shape, value: unknown, path: string, problems: string[], strict = false): unknown {
  const fail = (constraint: string): undefined => {
    problems.push(`Value ${show(value)} at '${path}' failed to satisfy constraint: ${constraint}`);
    return undefined;
  };
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('Member must be a structure');
      const obj = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      if (strict) {
        for (const name of Object.keys(obj))
          if (!shape.members?.[name]) problems.push(`'${join(path, name)}' is not a member of the shape`);
      }
      for (const name of shape.required ?? []) {
        if (obj[name] === undefined || obj[name] === null) {
          problems.push(`Value null at '${join(path, name)}' failed to satisfy constraint: Member must not be null`);
        }
      }
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const v = obj[name];
        if (v === undefined || v === null) continue;
        out[name] = check(model.shapes[ref.shape]!, v, join(path, name), problems, strict);
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) return fail('Member must be a list');
      if (shape.min !== undefined && value.length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`);
      const member = model.shapes[shape.member!.shape]!;
      return value.map((v, i) => check(member, v, `${path}.${i + 1}.member`, problems, strict));
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('Member must be a map');
      const entries = Object.entries(value as Record<string, unknown>);
      if (shape.min !== undefined && entries.length < shape.min) fail(`Member must have at least ${shape.min} entries`);
      if (shape.max !== undefined && entries.length > shape.max) fail(`Member must have at most ${shape.max} entries`);
      const out: Record<string, unknown> = {};
      for (const [k, v] of entries) {
        check(model.shapes[shape.key!.shape]!, k, `${path}.key`, problems, strict);
        out[k] = check(model.shapes[shape.value!.shape]!, v, `${path}.${k}`, problems, strict);
      }
      return out;
    }
    case 'string': {
      if (typeof value !== 'string') return fail('Member must be a string');
      if (shape.min !== undefined && value.length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`);
      if (shape.enum && !shape.enum.includes(value)) fail(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      return value;
    }
    case 'integer':
    case 'long':
    case 'double':
    case 'float': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail('Member must be a number');
      if ((shape.type === 'integer' || shape.type === 'long') && !Number.isInteger(value)) return fail('Member must be an integer');
      if (shape.min !== undefined && value < shape.min) fail(`Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) fail(`Member must have value less than or equal to ${shape.max}`);
      return value;
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : fail('Member must be a boolean');
    case 'timestamp': {
      if (strict && typeof value !== 'number') return fail('Member must be epoch seconds as a number');
      const t = toEpochSeconds(value);
      return t === null ? fail('Member must be a timestamp (epoch seconds or ISO 8601)') : t;
    }
    default:
      return value;
  }
}

function toEpochSeconds(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms / 1000;
}

function join(path: string, member: string): string {
  const name = member.charAt(0).toLowerCase() + member.slice(1);
  return path ? `${path}.${name}` : name;
}

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 60)}…` : value}'`;
  if (Array.isArray(value)) return '[…]';
  if (typeof value === 'object' && value !== null) return '{…}';
  return String(value);
}
