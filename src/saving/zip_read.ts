import { inflateSync } from 'fflate';
import { crc32 } from '../util/crc32';
import { ModelFileError } from './files';

/**
 * Reads a zip archive and checks it as Python's zipfile does when Keras opens a .keras file:
 * the central directory, each entry's local header (magic number, same name), sizes that stay
 * inside the file and do not overlap, the uncompressed size and the CRC-32 of every entry.
 * fflate's unzipSync checks none of the last three, so a flipped byte in a stored entry went
 * unnoticed; here it is a ModelFileError naming the entry.
 */

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;
/** DEFLATE cannot expand more than 1032:1; a larger claimed size is a lie, not an allocation to make. */
const MAX_DEFLATE_RATIO = 1032;

interface CentralEntry {
  name: string;
  rawName: Uint8Array;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  headerOffset: number;
}

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
const u64 = (b: Uint8Array, o: number) => u32(b, o) + u32(b, o + 4) * 0x100000000;

class ZipReader {
  constructor(readonly bytes: Uint8Array, readonly file: string) {}

  damaged(reason: string): ModelFileError {
    return new ModelFileError(`'${this.file}' is a truncated or damaged zip archive (${reason})`);
  }

  entryDamaged(name: string, reason: string): ModelFileError {
    return new ModelFileError(`'${this.file}': zip entry '${name}' is damaged (${reason})`);
  }

  /** Position of the end-of-central-directory record: the last signature whose comment fits. */
  findEnd(): number {
    const b = this.bytes;
    for (let p = b.length - 22; p >= 0 && p >= b.length - 22 - 0xffff; p--) {
      if (u32(b, p) === EOCD && p + 22 + u16(b, p + 20) <= b.length) return p;
    }
    throw this.damaged('no end of central directory record');
  }

  /** The central directory's entries, and where the directory starts (after any prepended bytes). */
  directory(): { entries: CentralEntry[]; start: number } {
    const b = this.bytes;
    const end = this.findEnd();
    if (u16(b, end + 4) !== 0 || u16(b, end + 6) !== 0) throw this.damaged('archives spanning several disks are not supported');
    let count = u16(b, end + 10);
    let size = u32(b, end + 12);
    let offset = u32(b, end + 16);
    let recordStart = end;
    // Zip64: the locator sits just before the record, the zip64 record just before the locator
    if (end >= 20 && u32(b, end - 20) === EOCD64_LOCATOR) {
      const at = end - 20 - 56;
      if (at < 0 || u32(b, at) !== EOCD64) throw this.damaged('zip64 end of central directory record not found');
      if (u32(b, end - 16) !== 0 || u32(b, end - 4) > 1) throw this.damaged('archives spanning several disks are not supported');
      count = u64(b, at + 32);
      size = u64(b, at + 40);
      offset = u64(b, at + 48);
      recordStart = at;
    }
    // bytes prepended to the archive shift every offset by the same amount, as zipfile allows
    const concat = recordStart - size - offset;
    if (concat < 0) throw this.damaged('bad offset for central directory');
    const start = offset + concat;
    const entries: CentralEntry[] = [];
    for (let p = start; p < start + size;) {
      if (p + 46 > start + size || u32(b, p) !== CENTRAL) throw this.damaged('bad magic number for central directory');
      const nameLen = u16(b, p + 28);
      const extraLen = u16(b, p + 30);
      const next = p + 46 + nameLen + extraLen + u16(b, p + 32);
      if (next > start + size) throw this.damaged('central directory entry runs past the directory');
      const rawName = b.subarray(p + 46, p + 46 + nameLen);
      const e: CentralEntry = {
        name: new TextDecoder().decode(rawName), rawName, flags: u16(b, p + 8), method: u16(b, p + 10), crc: u32(b, p + 16),
        compressedSize: u32(b, p + 20), size: u32(b, p + 24), headerOffset: u32(b, p + 42),
      };
      this.zip64Extra(e, b.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen));
      e.headerOffset += concat;
      entries.push(e);
      p = next;
    }
    if (entries.length !== count) throw this.damaged(`the directory lists ${entries.length} entries, its end record says ${count}`);
    return { entries, start };
  }

  /** Sizes and offsets of 0xFFFFFFFF are in the zip64 extra field (id 1), in this order. */
  zip64Extra(e: CentralEntry, extra: Uint8Array): void {
    const want = (['size', 'compressedSize', 'headerOffset'] as const).filter((k) => e[k] === 0xffffffff);
    if (!want.length) return;
    for (let p = 0; p + 4 <= extra.length; p += 4 + u16(extra, p + 2)) {
      if (u16(extra, p) !== 1) continue;
      const len = u16(extra, p + 2);
      if (len < want.length * 8 || p + 4 + len > extra.length) break;
      want.forEach((k, i) => (e[k] = u64(extra, p + 4 + 8 * i)));
      return;
    }
    throw this.entryDamaged(e.name, 'corrupt zip64 extra field');
  }

  /** The entry's uncompressed bytes, after checking its header, bounds, size and CRC-32. */
  read(e: CentralEntry, limit: number): Uint8Array {
    const b = this.bytes;
    const h = e.headerOffset;
    if (h + 30 > limit || u32(b, h) !== LOCAL) throw this.entryDamaged(e.name, 'bad magic number for file header');
    const nameLen = u16(b, h + 26);
    const dataStart = h + 30 + nameLen + u16(b, h + 28);
    const localName = b.subarray(h + 30, Math.min(h + 30 + nameLen, b.length));
    if (localName.length !== e.rawName.length || localName.some((v, i) => v !== e.rawName[i])) {
      throw this.entryDamaged(e.name, `file name in directory and header differ ('${new TextDecoder().decode(localName)}')`);
    }
    if (e.flags & 1) throw new ModelFileError(`'${this.file}': zip entry '${e.name}' is encrypted (not supported)`);
    const dataEnd = dataStart + e.compressedSize;
    if (dataEnd > limit) throw this.entryDamaged(e.name, `its ${e.compressedSize} bytes of data run past the end of the archive or into the next entry`);
    const raw = b.subarray(dataStart, dataEnd);
    let data: Uint8Array;
    if (e.method === STORED) {
      data = raw;
    } else if (e.method === DEFLATED) {
      if (e.size > e.compressedSize * MAX_DEFLATE_RATIO + 1024) throw this.entryDamaged(e.name, `claims ${e.size} bytes from ${e.compressedSize} compressed`);
      try {
        // one byte of room beyond the stated size shows an entry that inflates to more
        data = inflateSync(raw, { out: new Uint8Array(e.size + 1) });
      } catch (err) {
        throw this.entryDamaged(e.name, `bad deflate data: ${(err as Error).message}`);
      }
    } else {
      throw new ModelFileError(`'${this.file}': zip entry '${e.name}' uses compression method ${e.method} (only stored and deflate are supported)`);
    }
    if (data.length !== e.size) throw this.entryDamaged(e.name, `${data.length === e.size + 1 ? 'more than' : data.length} bytes, the directory says ${e.size}`);
    const crc = crc32(data);
    if (crc !== e.crc) throw this.entryDamaged(e.name, `bad CRC-32: stored ${hex(e.crc)}, computed ${hex(crc)}`);
    return data;
  }
}

/**
 * Entry names that would escape a folder the archive were extracted into (zip-slip): absolute
 * paths, '..' segments, drive letters, NULs. Nothing here is written to disk, but no .keras file
 * has such names, so they are refused rather than looked up.
 */
function unsafeName(name: string): boolean {
  return name.includes('\0') || /^[\\/]/.test(name) || /^[a-zA-Z]:/.test(name) || name.split(/[\\/]/).includes('..');
}

const hex = (v: number) => `0x${v.toString(16).padStart(8, '0')}`;

/** Every entry of the zip archive `bytes`, by name, each checked; `file` names it in errors. */
export function readZip(bytes: Uint8Array, file: string): Record<string, Uint8Array> {
  const zip = new ZipReader(bytes, file);
  const { entries, start } = zip.directory();
  // each entry must end before the next one's header (Python's "overlapped entries" check)
  const starts = [...new Set(entries.map((e) => e.headerOffset))].sort((a, b) => a - b);
  // two names for the same bytes would inflate them twice (a zip bomb by repetition)
  if (starts.length !== entries.length) throw zip.damaged('overlapped entries: two entries share one local header');
  const out: Record<string, Uint8Array> = Object.create(null); // entry names are data, not keys like __proto__
  for (const e of entries) {
    if (unsafeName(e.name)) throw new ModelFileError(`'${file}': zip entry name '${e.name}' points outside the archive's folder (absolute, '..' or a drive); refused`);
    if (e.name in out) throw zip.damaged(`the entry '${e.name}' appears twice`);
    const next = starts.find((s) => s > e.headerOffset) ?? start;
    if (e.name.endsWith('/') && e.size === 0) continue; // a folder
    out[e.name] = zip.read(e, Math.min(next, start));
  }
  return out;
}
