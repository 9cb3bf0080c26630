import { describe, expect, it } from 'vitest';
import type { SamplingRule } from '../api/xray-types';
import {
  fieldsNamedIn,
  formFromRule,
  hints,
  newForm,
  percent,
  ruleFromForm,
  suggestPriority,
  unsendable,
  updateFromForm,
  type FieldKey,
} from './rule-form-model';

const rule = (over: Partial<SamplingRule> = {}): SamplingRule => ({
  RuleName: 'checkout',
  ResourceARN: '*',
  Priority: 10,
  FixedRate: 0.07,
  ReservoirSize: 5,
  ServiceName: '*',
  ServiceType: '*',
  Host: '*',
  HTTPMethod: 'POST',
  URLPath: '/api/checkout*',
  Version: 1,
  Attributes: {},
  ...over,
});
const ALL = new Set<FieldKey>([
  'RuleName',
  'Priority',
  'FixedRate',
  'ReservoirSize',
  'ServiceName',
  'ServiceType',
  'Host',
  'HTTPMethod',
  'URLPath',
  'ResourceARN',
  'Attributes',
]);

describe('the sampling rule form', () => {
  it('shows the fixed rate in percent and sends it as 0–1', () => {
    expect(percent(0.07)).toBe('7');
    expect(percent(0.125)).toBe('12.5');
    const form = formFromRule(rule());
    expect(form.FixedRate).toBe('7');
    expect(ruleFromForm({ ...form, FixedRate: '29' }).FixedRate).toBe(0.29);
    const { Attributes: _none, ...withoutAttributes } = rule();
    expect(ruleFromForm(form)).toEqual(withoutAttributes);
  });

  it('sends what was typed on create, leaving empty numbers out so Fluoro names them', () => {
    const r = ruleFromForm({
      ...newForm(100),
      RuleName: ' api ',
      FixedRate: '150',
      Priority: '',
      Attributes: [
        { key: 'tier', value: 'gold' },
        { key: '', value: '' },
      ],
    });
    expect(r).toEqual({
      RuleName: 'api',
      Version: 1,
      FixedRate: 1.5,
      ReservoirSize: 1,
      ServiceName: '*',
      ServiceType: '*',
      Host: '*',
      HTTPMethod: '*',
      URLPath: '*',
      ResourceARN: '*',
      Attributes: { tier: 'gold' },
    });
  });

  it('updates only what changed; Default only its rate and reservoir', () => {
    const form = formFromRule(rule({ Attributes: { a: '1' } }));
    expect(updateFromForm(rule({ Attributes: { a: '1' } }), form)).toEqual({ RuleName: 'checkout' });
    expect(updateFromForm(rule(), { ...formFromRule(rule()), FixedRate: '25', ReservoirSize: '3', URLPath: '/api/*' })).toEqual({
      RuleName: 'checkout',
      FixedRate: 0.25,
      ReservoirSize: 3,
      URLPath: '/api/*',
    });
    expect(updateFromForm(rule({ Attributes: { a: '1' } }), { ...form, Attributes: [] })).toEqual({ RuleName: 'checkout', Attributes: {} });
    const def = rule({ RuleName: 'Default', Priority: 10000, FixedRate: 0.05, ReservoirSize: 1, HTTPMethod: '*', URLPath: '*' });
    expect(updateFromForm(def, { ...formFromRule(def), FixedRate: '10', URLPath: '/x', Priority: '5' })).toEqual({
      RuleName: 'Default',
      FixedRate: 0.1,
    });
  });

  it('hints at what Fluoro will refuse, and holds back updates with a number box it cannot send', () => {
    const h = hints(
      {
        ...newForm(10),
        RuleName: 'a b',
        FixedRate: '150',
        Priority: '0',
        ReservoirSize: '1.5',
        Attributes: [
          { key: 'k', value: '1' },
          { key: 'k', value: '2' },
        ],
      },
      ALL,
    );
    expect(h).toEqual({
      RuleName: 'Letters, digits, - and _ only.',
      Priority: 'Priority must be 1–9999.',
      ReservoirSize: 'The reservoir must be a whole number.',
      FixedRate: 'The fixed rate must be 0–100 %.',
      Attributes: 'Each key once.',
    });
    expect(hints(formFromRule(rule()), ALL)).toEqual({});
    expect(hints({ ...formFromRule(rule()), FixedRate: '' }, new Set<FieldKey>(['FixedRate']))).toEqual({
      FixedRate: 'Enter the fixed rate.',
    });
    expect(unsendable({ ...newForm(10), RuleName: 'a b', FixedRate: '150', Priority: '0', ReservoirSize: '1.5' }, h)).toEqual([]); // Fluoro refuses these itself
    const blank = { ...formFromRule(rule()), FixedRate: ' ', ReservoirSize: 'lots' };
    expect(unsendable(blank, hints(blank, ALL))).toEqual(['FixedRate', 'ReservoirSize']);
  });

  it('suggests a priority after the custom rules', () => {
    expect(suggestPriority([rule({ RuleName: 'Default', Priority: 10000 })])).toBe(1000);
    expect(suggestPriority([rule({ Priority: 10 }), rule({ Priority: 200 }), rule({ RuleName: 'Default', Priority: 10000 })])).toBe(210);
  });

  it('finds the fields a server message names', () => {
    expect(
      fieldsNamedIn(
        "2 validation errors detected: Value 1.5 at 'samplingRule.fixedRate' failed to satisfy constraint: Member must have value less than or equal to 1; Value '…' at 'samplingRule.uRLPath' failed",
      ),
    ).toEqual(['FixedRate', 'URLPath']);
    expect(fieldsNamedIn('SamplingRule.RuleName "a b" may only hold letters, digits, - and _')).toEqual(['RuleName']);
    expect(fieldsNamedIn('a sampling rule named x already exists')).toEqual([]);
  });
});
