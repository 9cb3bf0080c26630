import { describe, expect, it } from 'vitest';
import { isSpanId, parseTraceId, toXrayTraceId, traceTime } from './trace-id.js';

describe('trace IDs', () => {
  it('accepts the X-Ray form and the W3C form, in any case, and gives 32 lowercase hex', () => {
    expect(parseTraceId('1-5759e988-bd862e3fe1be46a994272793')).toBe('5759e988bd862e3fe1be46a994272793');
    expect(parseTraceId('1-5759E988-BD862E3FE1BE46A994272793')).toBe('5759e988bd862e3fe1be46a994272793');
    expect(parseTraceId('5759e988bd862e3fe1be46a994272793')).toBe('5759e988bd862e3fe1be46a994272793');
  });

  it('left-pads an epoch part whose leading zeros were dropped (OTel Java propagator form)', () => {
    expect(parseTraceId('1-59e988-bd862e3fe1be46a994272793')).toBe('0059e988bd862e3fe1be46a994272793');
  });

  it.each([
    '',
    '1-5759e988-bd862e3fe1be46a99427279',
    '2-5759e988-bd862e3fe1be46a994272793',
    'g759e988bd862e3fe1be46a994272793',
    '1_5759e988_bd862e3fe1be46a994272793',
    '5759e988-bd862e3fe1be46a994272793',
  ])('refuses %j', (id) => expect(parseTraceId(id)).toBeNull());

  it('formats in X-Ray form', () => {
    expect(toXrayTraceId('4efaaf4d1e8720b39541901950019ee5')).toBe('1-4efaaf4d-1e8720b39541901950019ee5');
  });

  it('files a trace under its ID epoch when plausible, else under the span start', () => {
    expect(traceTime('6955b900e8a4b3c2d1f0a9b8c7d6e5f4', 1767225600.5)).toBe(0x6955b900);
    // A random W3C ID: its first 32 bits are no time at all.
    expect(traceTime('0a0b0c0d0e0f00000000000000000000', 1767225600.5)).toBe(1767225600.5);
  });

  it('knows span IDs', () => {
    expect(isSpanId('53995c3f42cd8ad8')).toBe(true);
    expect(isSpanId('53995C3F42CD8AD8')).toBe(true);
    expect(isSpanId('53995c3f42cd8ad')).toBe(false);
    expect(isSpanId(12)).toBe(false);
  });
});
