import { TatamiError } from '../util/errors';

// The command line of every `tatami` command: parsed once in main, then checked here, so that
// each option has one reading and one error message whichever command takes it.

/** A command line the command cannot run (wrong arguments or options): exit code 2. */
export class UsageError extends TatamiError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parsed command line: positional words and --options (--key value, --key=value, --flag). */
export interface ParsedArgs {
  positional: string[];
  options: Record<string, string | boolean>;
}

export function parseArgs(argv: string[], flags: readonly string[] = []): ParsedArgs {
  const positional: string[] = [];
  const options: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const key = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (eq >= 0) options[key] = a.slice(eq + 1);
      else if (flags.includes(key) || i + 1 >= argv.length || argv[i + 1].startsWith('--')) options[key] = true;
      else options[key] = argv[++i];
    } else if (a === '-h') {
      options.help = true;
    } else {
      positional.push(a);
    }
  }
  return { positional, options };
}

/** Rejects options the command does not know, naming them (--help is known to every command). */
export function knownOptions(command: string, args: ParsedArgs, known: readonly string[]): void {
  const unknown = Object.keys(args.options).filter((k) => !known.includes(k) && k !== 'help');
  if (unknown.length) throw new UsageError(`unknown option ${unknown.map((k) => '--' + k).join(', ')}; see 'tatami ${command} --help'`);
}

/** How an option's value reads in a message: a bare `--key` (no value) reads as ''. */
const shown = (v: string | boolean) => (v === true ? '' : String(v));

/** An integer option of at least `min` (0 or 1), or the fallback when absent. */
function integerOption(args: ParsedArgs, key: string, min: 0 | 1, fallback?: number): number | undefined {
  const v = args.options[key];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isInteger(n) || n < min) {
    throw new UsageError(`--${key} needs a ${min === 1 ? 'positive' : 'non-negative'} integer, got '${shown(v)}'`);
  }
  return n;
}

/** A positive integer option (a count: epochs, images, batch size), or the fallback when absent. */
export function countOption(args: ParsedArgs, key: string, fallback: number): number;
export function countOption(args: ParsedArgs, key: string, fallback?: number): number | undefined;
export function countOption(args: ParsedArgs, key: string, fallback?: number): number | undefined {
  return integerOption(args, key, 1, fallback);
}

/** A non-negative integer option (a seed, an index, a verbosity), or the fallback when absent. */
export function intOption(args: ParsedArgs, key: string, fallback: number): number;
export function intOption(args: ParsedArgs, key: string, fallback?: number): number | undefined;
export function intOption(args: ParsedArgs, key: string, fallback?: number): number | undefined {
  return integerOption(args, key, 0, fallback);
}

/** A string option restricted to some choices. */
export function choiceOption<T extends string>(args: ParsedArgs, key: string, choices: readonly T[], fallback?: T): T | undefined {
  const v = args.options[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !choices.includes(v as T)) throw new UsageError(`--${key} must be one of ${choices.join(', ')}, got '${shown(v)}'`);
  return v as T;
}

/** A string option that needs a value. */
export function stringOption(args: ParsedArgs, key: string): string | undefined {
  const v = args.options[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${key} needs a value`);
  return v;
}

/** A flag: true when given (`--json`), false when absent. */
export function flagOption(args: ParsedArgs, key: string): boolean {
  return args.options[key] === true;
}
