import * as path from 'node:path';
import { isObject, parseFileJson, type JsonObject } from '../saving/pyjson';
import { ModelFileError } from '../saving/files';

/**
 * Checks of a TensorFlow.js model.json before anything is read or allocated from it: the JSON
 * itself, the manifest's shape (groups of paths and weight specs), shard paths that stay in the
 * model's folder, and specs whose sizes are whole, finite numbers. Every failure is a
 * ModelFileError naming the file.
 */

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

export interface ManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

export function parseModelJson(text: string, file: string): JsonObject {
  const json = parseFileJson(text, (why) => new ModelFileError(`'${file}' is ${why}`));
  if (!isObject(json)) throw new ModelFileError(`'${file}' is not a JSON object (a tfjs model.json)`);
  return json;
}

/** A weight spec as tfjs writes it; `where` names the file in errors. */
export function checkWeightSpec(s: unknown, where: string): WeightSpec {
  if (!isObject(s) || typeof s.name !== 'string') throw new ModelFileError(`${where}: a weight spec is not {name, shape, dtype}: ${JSON.stringify(s)?.slice(0, 200)}`);
  const shape = s.shape;
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    throw new ModelFileError(`${where}: weight '${s.name}' has shape ${JSON.stringify(shape)?.slice(0, 200)}, not a list of sizes`);
  }
  if (typeof s.dtype !== 'string') throw new ModelFileError(`${where}: weight '${s.name}' has no dtype`);
  return s as unknown as WeightSpec;
}

/** The weightsManifest groups, their shard paths resolved inside `dir` (the folder of model.json). */
export function manifestGroups(json: JsonObject, file: string): { paths: string[]; weights: WeightSpec[] }[] {
  const manifest = json.weightsManifest ?? [];
  if (!Array.isArray(manifest)) throw new ModelFileError(`'${file}': weightsManifest is not a list`);
  const dir = path.resolve(path.dirname(file));
  return manifest.map((g, i) => {
    if (!isObject(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights)) {
      throw new ModelFileError(`'${file}': weightsManifest[${i}] is not {paths: [...], weights: [...]}`);
    }
    const paths = g.paths.map((p) => {
      if (typeof p !== 'string' || p === '' || p.includes('\0')) throw new ModelFileError(`'${file}': weightsManifest[${i}] has a shard path that is not a file name: ${JSON.stringify(p)}`);
      const full = path.resolve(dir, p);
      // a shard lives next to model.json (or below it), never elsewhere on the disk
      if (path.isAbsolute(p) || !full.startsWith(dir + path.sep)) {
        throw new ModelFileError(`'${file}': shard path '${p}' points outside the model's folder; refused`);
      }
      return full;
    });
    return { paths, weights: g.weights.map((s) => checkWeightSpec(s, `'${file}'`)) };
  });
}
