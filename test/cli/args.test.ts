import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  choiceOption, countOption, flagOption, intOption, knownOptions, parseArgs, stringOption, UsageError,
} from '../../src/cli/args';

// The one set of option checkers every command uses: each option reads and fails the same way.

describe('cli options', () => {
  const parse = (...argv: string[]) => parseArgs(argv, ['json']);

  it('parses --key value, --key=value, flags and positionals', () => {
    const a = parse('model.keras', '--top', '5', '--dataset=mnist', '--json', 'x.png', '-h', '--', '--odd');
    assert.deepEqual(a.positional, ['model.keras', 'x.png', '--odd']);
    assert.deepEqual(a.options, { top: '5', dataset: 'mnist', json: true, help: true });
  });

  it('counts are positive integers, ints non-negative, with the fallback when absent', () => {
    assert.equal(countOption(parse('--top', '3'), 'top', 1), 3);
    assert.equal(countOption(parse(), 'top', 7), 7);
    assert.equal(countOption(parse(), 'top'), undefined);
    assert.equal(intOption(parse('--seed', '0'), 'seed'), 0);
    assert.equal(intOption(parse(), 'seed', 1), 1);
    assert.throws(() => countOption(parse('--top', '0'), 'top'), (e: Error) =>
      e instanceof UsageError && e.message === "--top needs a positive integer, got '0'");
    assert.throws(() => countOption(parse('--top', '2.5'), 'top'), /--top needs a positive integer, got '2.5'/);
    assert.throws(() => intOption(parse('--seed', '-1'), 'seed'), /--seed needs a non-negative integer, got '-1'/);
    assert.throws(() => intOption(parse('--seed=abc'), 'seed'), /--seed needs a non-negative integer, got 'abc'/);
    // a bare --key at the end has no value
    assert.throws(() => intOption(parse('--seed'), 'seed'), /--seed needs a non-negative integer, got ''/);
    assert.throws(() => intOption(parse('--seed='), 'seed'), /--seed needs a non-negative integer, got ''/);
  });

  it('choices, strings and flags', () => {
    assert.equal(choiceOption(parse('--fit', 'fill'), 'fit', ['digit', 'fill']), 'fill');
    assert.equal(choiceOption(parse(), 'fit', ['digit', 'fill'], 'digit'), 'digit');
    assert.throws(() => choiceOption(parse('--fit', 'crop'), 'fit', ['digit', 'fill']), /--fit must be one of digit, fill, got 'crop'/);
    assert.equal(stringOption(parse('--out', 'a.png'), 'out'), 'a.png');
    assert.throws(() => stringOption(parse('--out'), 'out'), /--out needs a value/);
    assert.equal(flagOption(parse('--json'), 'json'), true);
    assert.equal(flagOption(parse(), 'json'), false);
  });

  it('rejects unknown options by name, --help is always known', () => {
    knownOptions('predict', parse('--top', '1', '--help'), ['top']);
    assert.throws(() => knownOptions('predict', parse('--colour', 'red', '--size', '3'), ['top']),
      /unknown option --colour, --size; see 'tatami predict --help'/);
  });
});
