import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { formatValue, pyFormat, pyRepr, KeyError } from '../../src/callbacks/py_format';
import { oracleMissing } from '../helpers/oracles';

// Expected strings were printed by CPython 3.11 (`format(value, spec)`, `repr(value)`); the
// last test repeats the comparison live against Debian's /usr/bin/python3 over a larger grid.

const FLOAT_CASES: [number, string, string][] = [
  [0.0718, '', '0.0718'], [0.0718, '.3f', '0.072'], [0.0718, '.5f', '0.07180'], [0.0718, 'e', '7.180000e-02'],
  [0.0718, '.0e', '7e-02'], [0.0718, '.1g', '0.07'], [0.0718, '.1%', '7.2%'], [0.0718, '#g', '0.0718000'],
  [0.0718, '*>12.4f', '******0.0718'], [0.0718, '=+10.2f', '+     0.07'], [0.0718, '08.3f', '0000.072'],
  [0.0718, '#.0f', '0.'], [0.07180499, 'g', '0.071805'], [0.07180499, '.10g', '0.07180499'],
  // ties on exactly representable values round half to even
  [0.125, '.2f', '0.12'], [0.375, '.2f', '0.38'], [2.5, '.0f', '2'], [2.5, '.0e', '2e+00'], [-1.5, '.0f', '-2'],
  [0.125, '.1g', '0.1'], [0.375, '.1g', '0.4'],
  [2.5, '.1', '2e+00'], [1.0, '.3', '1.0'], [1.0, '.1', '1e+00'], [1.0, 'g', '1'], [1.0, '%', '100.000000%'],
  [-0.0, '', '-0.0'], [-0.0, '.2f', '-0.00'], [-0.0, 'z.1f', '0.0'], [-0.0, '08.3f', '-000.000'], [-0.0, 'g', '-0'],
  [-0.0, '=+10.2f', '-     0.00'], [-1.5, '^10.2f', '  -1.50   '],
  [1234567.891, ',.2f', '1,234,567.89'], [1234567.891, '_.1f', '1_234_567.9'], [1234567.891, 'g', '1.23457e+06'],
  [1234567.891, '.10g', '1234567.891'], [1234567.891, 'G', '1.23457E+06'], [1234567.891, '#.0f', '1234568.'],
  [1e-5, '', '1e-05'], [1e-5, '.5f', '0.00001'], [1e-5, 'G', '1E-05'], [1e-5, '#g', '1.00000e-05'],
  [1.0000000656873453e-06, '.10g', '1.000000066e-06'], [1.0000000656873453e-06, '>12', '1.0000000656873453e-06'],
  [123.456, '.3g', '123'], [123.456, '.3', '1.23e+02'], [123.456, '.1g', '1e+02'], [123.456, '0>10.1f', '00000123.5'],
  [0.0001, 'g', '0.0001'], [0.0001, '#g', '0.000100000'], [0.0001, '%', '0.010000%'],
  [Infinity, '.3f', 'inf'], [-Infinity, 'e', '-inf'], [NaN, '.2f', 'nan'], [Infinity, 'F', 'INF'], [NaN, '+.1f', '+nan'],
  [1 / 3, '.6', '0.333333'], [2 / 3, '.0f', '1'], [0.1 + 0.2, '>12', '0.30000000000000004'],
];

const INT_CASES: [number, string, string][] = [
  [3, '02d', '03'], [22, '02d', '22'], [0, '03', '000'], [3, '5d', '    3'], [3, '<5d', '3    '], [22, 'x', '16'],
  [22, '#x', '0x16'], [255, 'X', 'FF'], [22, 'o', '26'], [22, '#b', '0b10110'], [1234567, ',d', '1,234,567'],
  [1234567, '_d', '1_234_567'], [3, '+d', '+3'], [3, '.2f', '3.00'], [22, 'e', '2.200000e+01'], [3, '%', '300.000000%'],
  [1234567, 'g', '1.23457e+06'], [-7, '08d', '-0000007'], [-7, '=+6d', '-    7'], [-7, '#x', '-0x7'], [22, '', '22'],
];

const REPRS: [number, string][] = [
  [0.0718, '0.0718'], [1.0, '1.0'], [-0.0, '-0.0'], [1e-5, '1e-05'], [0.0001, '0.0001'], [1e16, '1e+16'],
  [1e15, '1000000000000000.0'], [1e22, '1e+22'], [1.5e-7, '1.5e-07'], [5e-324, '5e-324'], [Infinity, 'inf'], [NaN, 'nan'],
  [1.7976931348623157e308, '1.7976931348623157e+308'], [123456789012345680, '1.2345678901234568e+17'],
  [0.00010000000474974513, '0.00010000000474974513'], [1.0000000656873453e-06, '1.0000000656873453e-06'],
  [1.0000001111620805e-07, '1.0000001111620805e-07'], [100.0, '100.0'],
];

describe('Python format specs', () => {
  it('formats floats as CPython does', () => {
    for (const [v, spec, want] of FLOAT_CASES) assert.equal(formatValue(v, spec), want, `format(${v}, '${spec}')`);
  });

  it('formats ints as CPython does', () => {
    for (const [v, spec, want] of INT_CASES) assert.equal(formatValue(v, spec, true), want, `format(${v}, '${spec}')`);
  });

  it('repr(float) as CPython prints it', () => {
    for (const [v, want] of REPRS) assert.equal(pyRepr(v), want);
  });

  it('rejects what Python rejects', () => {
    assert.throws(() => formatValue(0.5, 'd'), /Unknown format code 'd' for object of type 'float'/);
    assert.throws(() => formatValue(3, '.2d', true), /Precision not allowed/);
    assert.throws(() => formatValue(1, 'q'), /invalid format specifier/);
  });

  it('fills Keras checkpoint templates', () => {
    const logs = { loss: 0.123456, val_loss: 0.07180499, accuracy: 0.9832 };
    assert.equal(pyFormat('weights/val_loss{val_loss:.3f}.weights.h5', { ...logs, epoch: 3 }, ['epoch']), 'weights/val_loss0.072.weights.h5');
    assert.equal(pyFormat('ckpt-{epoch:02d}.keras', { epoch: 7 }, ['epoch']), 'ckpt-07.keras');
    assert.equal(pyFormat('m-{epoch}-{loss:.4f}.h5', { ...logs, epoch: 12 }, ['epoch']), 'm-12-0.1235.h5');
    assert.equal(pyFormat('{val_loss}', logs), '0.07180499');
    assert.equal(pyFormat('{{literal}}-{epoch!r}', { epoch: 1 }, ['epoch']), '{literal}-1');
    assert.throws(() => pyFormat('{val_acc:.2f}.keras', logs), (e: unknown) => e instanceof KeyError && e.message === "'val_acc'");
    assert.throws(() => pyFormat('{}.keras', logs), /positional field/);
    assert.throws(() => pyFormat('a}b', logs), /Single '}'/);
    assert.throws(() => pyFormat('a{b', logs), /Single '{'/);
  });

  it('agrees with the local CPython on a grid of values and specs', (t) => {
    const python = '/usr/bin/python3';
    if (!fs.existsSync(python)) return oracleMissing(t, 'no /usr/bin/python3');
    const values = [0, 1, 0.5, 0.05, 0.0718, 0.123456789, 9.995, 99.96, 999.5, 1e-7, 3.14159e-5, 2.675, 1.005, 123456.789,
      6.02214076e23, 1e100, 5e-324, 2 ** 53 + 2, 0.1 + 0.2, 1 / 3, 1 / 7, 1e21, 1e-4, 9.9999e-5, 0.99999999, 12.5, 0.045];
    const specs = ['', '.0f', '.1f', '.2f', '.3f', '.5f', '.12f', 'e', '.0e', '.2e', '.10e', 'g', '.1g', '.2g', '.4g', '.17g',
      '#.3g', '.1', '.2', '.5', '%', '.2%', '+.3f', '12.4e', ',.3f', 'n', 'E', 'G'];
    const cases: [number, string][] = [];
    for (const v of values) for (const s of specs) cases.push([v, s], ...(v !== 0 ? [[-v, s] as [number, string]] : []));
    const script = 'import json,sys\nfor v,s in json.load(sys.stdin): print(format(float(v),s))';
    const out = execFileSync(python, ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8' }).split('\n');
    const bad = cases.map(([v, s], i) => [v, s, formatValue(v, s), out[i]]).filter(([, , got, want]) => got !== want);
    assert.deepEqual(bad, [], 'mismatches: [value, spec, tatami, python]');
    const reprValues = values.filter((v) => v !== 0).flatMap((v) => [v, -v, v * 1.37, v / 3]);
    const reprOut = execFileSync(python, ['-c', 'import json,sys\nfor v in json.load(sys.stdin): print(repr(float(v)))'],
      { input: JSON.stringify(reprValues), encoding: 'utf8' }).split('\n');
    reprValues.forEach((v, i) => assert.equal(pyRepr(v), reprOut[i], `repr(${v})`));
  });
});
