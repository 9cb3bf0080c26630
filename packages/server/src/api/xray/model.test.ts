import { describe, expect, it } from 'vitest';
import { FluoroError } from '../../platform/errors/catalog.js';
import { OPERATIONS, outputProblems, validateInput } from './model.js';

const op = (name: string) => OPERATIONS.find((o) => o.name === name)!;
const messageOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof FluoroError) return err.message;
    throw err;
  }
  throw new Error('no error');
};

describe('the X-Ray model', () => {
  it('has all 38 operations, each at its own path', () => {
    expect(OPERATIONS).toHaveLength(38);
    expect(new Set(OPERATIONS.map((o) => o.http.requestUri)).size).toBe(38);
    expect(op('GetTraceSummaries').http).toEqual({ method: 'POST', requestUri: '/TraceSummaries' });
  });

  it('validates input the way AWS words it', () => {
    expect(messageOf(() => validateInput(op('GetTraceSummaries'), {}))).toBe(
      "2 validation errors detected: Value null at 'startTime' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'endTime' failed to satisfy constraint: Member must not be null",
    );
    expect(messageOf(() => validateInput(op('GetServiceGraph'), { StartTime: 1, EndTime: 2, GroupName: 'x'.repeat(33) }))).toContain(
      "at 'groupName' failed to satisfy constraint: Member must have length less than or equal to 32",
    );
    expect(messageOf(() => validateInput(op('BatchGetTraces'), { TraceIds: ['x'.repeat(36)] }))).toContain("at 'traceIds.1.member'");
    expect(messageOf(() => validateInput(op('GetTraceSummaries'), 'text'))).toBe('the request body must be a JSON object');
  });

  it('turns timestamps into epoch seconds and ignores unknown members', () => {
    expect(validateInput(op('GetServiceGraph'), { StartTime: '2026-01-01T00:00:00Z', EndTime: 1767225700.5, Extra: 1 })).toEqual({
      StartTime: 1767225600,
      EndTime: 1767225700.5,
    });
  });

  it('holds outputs to the model', () => {
    expect(outputProblems('GetTraceGraph', { Services: [{ ReferenceId: 1, Name: 'a', Edges: [] }] })).toEqual([]);
    expect(outputProblems('GetTraceGraph', { Services: [{ ReferenceId: 'one', Nmae: 'a' }] })).toEqual([
      "'services.1.member.nmae' is not a member of the shape",
      "Value 'one' at 'services.1.member.referenceId' failed to satisfy constraint: Member must be a number",
    ]);
  });
});
