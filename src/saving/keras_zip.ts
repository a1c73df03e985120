import { zipSync } from 'fflate';
import { ModelFileError } from './files';
import { isObject, parseFileJson, pyJson, type JsonObject } from './pyjson';
import { readZip } from './zip_read';

/**
 * The .keras archive (keras/src/saving/saving_lib.py): an uncompressed zip holding
 * metadata.json, config.json and model.weights.h5, written in that order.
 */
export const KERAS_VERSION = '3.8.0'; // the Keras 3 release whose format these files follow
export const CONFIG_FILE = 'config.json';
export const METADATA_FILE = 'metadata.json';
export const WEIGHTS_FILE = 'model.weights.h5';

/** datetime.now().strftime("%Y-%m-%d@%H:%M:%S"), local time as Keras writes it. */
function dateSaved(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}@${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function packKeras(config: JsonObject, weights: Uint8Array): Uint8Array {
  const enc = new TextEncoder();
  const metadata = { keras_version: KERAS_VERSION, date_saved: dateSaved() };
  return zipSync(
    { [METADATA_FILE]: enc.encode(pyJson(metadata)), [CONFIG_FILE]: enc.encode(pyJson(config)), [WEIGHTS_FILE]: weights },
    { level: 0 },
  );
}

export interface KerasArchive {
  config: JsonObject;
  metadata: JsonObject | null;
  weights: Uint8Array;
}

function parseJson(bytes: Uint8Array, file: string, entry: string): JsonObject {
  const v = parseFileJson(new TextDecoder().decode(bytes), (why) => new ModelFileError(`'${file}': ${entry} is ${why}`));
  if (!isObject(v)) throw new ModelFileError(`'${file}': ${entry} is not a JSON object`);
  return v;
}

export function unpackKeras(bytes: Uint8Array, file: string, needConfig = true): KerasArchive {
  // every entry's CRC-32 and sizes are checked, as Python's zipfile does for Keras
  const entries = readZip(bytes, file);
  const names = Object.keys(entries);
  const missing = (needConfig ? [CONFIG_FILE, WEIGHTS_FILE] : [WEIGHTS_FILE]).filter((n) => !(n in entries));
  if (missing.length) {
    const npz = 'model.weights.npz' in entries ? ' (npz weights are not supported)' : '';
    throw new ModelFileError(`'${file}' is not a .keras model: the archive has no ${missing.join(' or ')}${npz} (it has: ${names.join(', ') || 'nothing'})`);
  }
  return {
    config: needConfig ? parseJson(entries[CONFIG_FILE], file, CONFIG_FILE) : {},
    metadata: METADATA_FILE in entries ? parseJson(entries[METADATA_FILE], file, METADATA_FILE) : null,
    weights: entries[WEIGHTS_FILE],
  };
}
