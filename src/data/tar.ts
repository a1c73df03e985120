import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { promisify } from 'node:util';
import { DataFileError } from './data_file_error';

const gunzipAsync = promisify(zlib.gunzip);

/** One regular file of a tar archive; `data` is a view into the archive's bytes. */
export interface TarEntry {
  name: string;
  data: Uint8Array;
}

const BLOCK = 512;

function text(b: Uint8Array, from: number, len: number): string {
  let end = from;
  while (end < from + len && b[end] !== 0) end++;
  return Buffer.from(b.subarray(from, end)).toString('utf8');
}

function octal(b: Uint8Array, from: number, len: number, where: string): number {
  // GNU base-256 for sizes of 8 GiB and more: high bit of the first byte set.
  if (b[from] & 0x80) {
    let v = b[from] & 0x7f;
    for (let i = 1; i < len; i++) v = v * 256 + b[from + i];
    return v;
  }
  const s = text(b, from, len).trim();
  if (!/^[0-7]*$/.test(s)) throw new DataFileError(`${where}: not a tar archive (bad octal field '${s}')`);
  return s === '' ? 0 : parseInt(s, 8);
}

function checksumOk(b: Uint8Array, at: number, where: string): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : b[at + i];
  return octal(b, at + 148, 8, where) === sum;
}

/** Values of a pax extended header ("%d key=value\n" records). */
function paxRecords(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  const s = Buffer.from(data).toString('utf8');
  let i = 0;
  while (i < s.length) {
    const sp = s.indexOf(' ', i);
    const len = parseInt(s.slice(i, sp), 10);
    if (!(len > 0)) break;
    const rec = s.slice(sp + 1, i + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    i += len;
  }
  return out;
}

/**
 * Lists the regular files of an uncompressed tar archive (ustar, GNU long names, pax paths).
 * `where` names the archive in errors. A truncated archive or a bad header is an error.
 */
export function parseTar(b: Uint8Array, where = 'tar archive'): TarEntry[] {
  const entries: TarEntry[] = [];
  let at = 0;
  let longName: string | null = null;
  let paxPath: string | null = null;
  while (at + BLOCK <= b.length) {
    // Two zero blocks end the archive; one is enough to stop reading.
    if (b.subarray(at, at + BLOCK).every((x) => x === 0)) return entries;
    if (!checksumOk(b, at, where)) {
      throw new DataFileError(`${where}: not a tar archive, or damaged (header checksum mismatch at offset ${at})`);
    }
    const size = octal(b, at + 124, 12, where);
    const type = String.fromCharCode(b[at + 156] || 0x30);
    const magic = text(b, at + 257, 6);
    const prefix = magic.startsWith('ustar') ? text(b, at + 345, 155) : '';
    const start = at + BLOCK;
    if (start + size > b.length) {
      throw new DataFileError(`${where}: truncated tar archive (entry at offset ${at} needs ${size} bytes, ${b.length - start} left)`);
    }
    const data = b.subarray(start, start + size);
    if (type === 'L') longName = text(data, 0, data.length);
    else if (type === 'x') paxPath = paxRecords(data).get('path') ?? null;
    else if (type === '0' || type === '7') {
      const plain = text(b, at, 100);
      const name = paxPath ?? longName ?? (prefix ? `${prefix}/${plain}` : plain);
      entries.push({ name, data });
      longName = null;
      paxPath = null;
    } else if (type !== 'g') {
      longName = null; // directories, links and devices carry no data we need
      paxPath = null;
    }
    at = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  if (at < b.length || entries.length === 0) {
    throw new DataFileError(`${where}: truncated tar archive (ends inside a header at offset ${at} of ${b.length})`);
  }
  // Some writers omit the end-of-archive blocks; what was read is complete.
  return entries;
}

/** Whether the bytes start with the gzip magic number. */
export function isGzipped(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** Reads a .tar or .tar.gz file (gzip recognised by content, not name) and lists its files. */
export async function readTar(path: string): Promise<TarEntry[]> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.promises.readFile(path);
  } catch (e) {
    throw new DataFileError(`${path}: cannot read (${(e as Error).message})`);
  }
  if (isGzipped(bytes)) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (e) {
      throw new DataFileError(`${path}: damaged or truncated gzip data (${(e as Error).message})`);
    }
  }
  return parseTar(bytes, path);
}
