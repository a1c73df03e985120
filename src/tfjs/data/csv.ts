import { promises as fs } from 'node:fs';
import { ValueError } from '../../util/errors';
import { Dataset } from './dataset';
import { FromItems, type LazyIterator } from './lazy_iterator';

// tf.data.csv over a local file (file:// path), with tfjs's CSVConfig: a header line (or
// columnNames), columnConfigs ({ required, default, dtype, isLabel }), configuredColumnsOnly,
// delimiter or delimWhitespace. Elements are objects keyed by column; with label columns,
// { xs: features, ys: labels }.

export interface ColumnConfig {
  required?: boolean;
  dtype?: 'float32' | 'int32' | 'bool' | 'string';
  default?: unknown;
  isLabel?: boolean;
}

export interface CSVConfig {
  hasHeader?: boolean;
  columnNames?: string[];
  columnConfigs?: Record<string, ColumnConfig>;
  configuredColumnsOnly?: boolean;
  delimiter?: string;
  delimWhitespace?: boolean;
}

type Row = Record<string, unknown>;
const FILE = 'file://';

/** One line split into fields, quotes as tfjs reads them ("a,b" is one field; "" inside stays ""). */
export function parseLine(line: string, delimiter: string, whitespace: boolean): string[] {
  const out: string[] = [];
  let state: 'out' | 'field' | 'quote' | 'afterQuote' | 'quoteInQuote' = 'out';
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charAt(i);
    if (state === 'out') {
      if (ch === '"') {
        start = i + 1;
        state = 'quote';
      } else if (ch === delimiter) {
        start = i + 1;
        if (!(whitespace && delimiter === ' ')) out.push('');
      } else {
        state = 'field';
        start = i;
      }
    } else if (state === 'field') {
      if (ch === delimiter) {
        out.push(line.substring(start, i));
        state = 'out';
        start = i + 1;
      }
    } else if (state === 'quote') {
      if (ch === '"') state = 'afterQuote';
    } else if (state === 'afterQuote') {
      if (ch === delimiter) {
        out.push(line.substring(start, i - 1));
        state = 'out';
        start = i + 1;
      } else state = ch === '"' ? 'quote' : 'quoteInQuote';
    } else if (ch === '"') state = 'quote';
  }
  out.push(state === 'afterQuote' ? line.substring(start, line.length - 1) : line.substring(start));
  return out;
}

const asBoolean = (v: string) => (v === '1' || v.toLowerCase() === 'true' ? 1 : 0);

export class CSVDataset extends Dataset<Row> {
  readonly size = null;
  private readonly hasHeader: boolean;
  private readonly delimiter: string;
  private readonly whitespace: boolean;
  private names: string[] | null;
  private readonly configs: Record<string, ColumnConfig> | null;
  private readonly configuredOnly: boolean;
  private validated = false;

  constructor(private readonly source: string, config: CSVConfig = {}) {
    super();
    if (typeof source !== 'string' || !source.startsWith(FILE)) {
      throw new ValueError(`tf.data.csv: tatami/tfjs reads local files given as 'file://' paths, got ${typeof source === 'string' ? `'${source}'` : typeof source}`);
    }
    this.hasHeader = config.hasHeader !== false;
    this.names = config.columnNames ?? null;
    this.configs = config.columnConfigs ?? null;
    this.configuredOnly = !!config.configuredColumnsOnly;
    if (config.delimWhitespace && config.delimiter != null) throw new ValueError('Delimiter should not be provided when delimWhitespace is true.');
    this.whitespace = !!config.delimWhitespace;
    this.delimiter = this.whitespace ? ' ' : config.delimiter || ',';
  }

  /** The file's lines as tfjs's TextLineDataset splits them ('\n', a trailing '\r' dropped, no empty last line). */
  private async lines(): Promise<string[]> {
    const text = await fs.readFile(this.source.slice(FILE.length), 'utf8');
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }

  private async validate(lines: string[]): Promise<void> {
    if (this.validated) return;
    let header: string[] | null = null;
    if (this.hasHeader) {
      if (lines.length === 0) throw new ValueError('No data was found for CSV parsing.');
      header = parseLine(lines[0], this.delimiter, this.whitespace);
    }
    if (!this.names && !header) throw new ValueError('Column names must be provided if there is no header line.');
    if (this.names && header && this.names.length !== header.length) {
      throw new ValueError(`The length of provided columnNames (${this.names.length}) does not match the length of the header line read from file (${header.length}).`);
    }
    this.names ??= header;
    const names = this.names!;
    const dup = names.filter((n, i) => names.indexOf(n) !== i);
    if (dup.length) throw new ValueError(`Duplicate column names found: ${[...new Set(dup)]}`);
    for (const key of Object.keys(this.configs ?? {})) {
      if (!names.includes(key)) throw new ValueError(`The key "${key}" provided in columnConfigs does not match any of the column names (${names}).`);
    }
    this.validated = true;
  }

  async columnNames(): Promise<string[]> {
    await this.validate(await this.lines());
    return this.configuredOnly ? Object.keys(this.configs ?? {}) : this.names!;
  }

  async iterator(): Promise<LazyIterator<Row>> {
    const lines = await this.lines();
    await this.validate(lines);
    const body = this.hasHeader ? lines.slice(1) : lines;
    return new FromItems(body, null).map((line) => this.element(line as unknown as string)) as LazyIterator<Row>;
  }

  private element(line: string): Row {
    const values = parseLine(line, this.delimiter, this.whitespace);
    const names = this.names!;
    if (values.length !== names.length) throw new ValueError(`Invalid row in csv file. Should have ${names.length} elements in a row, but got ${values}`);
    const features: Row = {};
    const labels: Row = {};
    names.forEach((key, i) => {
      const config = this.configs?.[key];
      if (this.configuredOnly && !config) return;
      (config?.isLabel ? labels : features)[key] = parseValue(values[i], key, line, config);
    });
    return Object.keys(labels).length ? { xs: features, ys: labels } : features;
  }
}

function parseValue(value: string, key: string, line: string, config: ColumnConfig | undefined): unknown {
  if (value === '') {
    if (config?.default !== undefined) return config.default;
    if (config?.required || config?.isLabel) throw new ValueError(`Required column ${key} is empty in this line: ${line}`);
    return undefined;
  }
  const n = Number(value);
  if (Number.isNaN(n)) return config?.dtype === 'bool' ? asBoolean(value) : value;
  if (config?.dtype === 'int32') return Math.floor(n);
  if (config?.dtype === 'bool') return asBoolean(value);
  return n;
}

/** tf.data.csv('file://path.csv', config). */
export const csv = (source: string, config: CSVConfig = {}): CSVDataset => new CSVDataset(source, config);
