import * as fs from 'node:fs';
import * as path from 'node:path';
import { Tensor } from '../tensor/tensor';
import { HttpError } from '../dashboard/http_util';
import type { DrawHandler } from '../dashboard/server';
import { TatamiError } from '../util/errors';
import { asModelInput } from '../viz/model';
import * as viz from '../viz/model';
import { classNamesFor, loadModelFile, type LoadedModel } from './model_file';
import { prepareImage } from './image_input';
import { inputGeometry, toProbabilities } from './predict';
import { firstConvLayers } from './run_plots';

/** What the draw page shows for one drawing. */
export interface DrawResult {
  top: Array<{ class: number; name: string; probability: number }>;
  /** The (height, width) image the model saw, values 0..1, light on dark. */
  seen: number[];
  width: number;
  height: number;
  inverted: boolean;
  convLayer: string | null;
  /** The first conv layer's feature maps as a PNG data URL, or null for a model without one. */
  featureMaps: string | null;
}

/**
 * The draw endpoint's work: the drawing goes through `tatami predict`'s preparation (invert a
 * dark-on-light drawing, crop to the ink, scale into MNIST's 20x20 box, centre by mass), then
 * the run's model; its first conv layer's feature maps are drawn by tt.viz. Models are loaded
 * once per run folder (again when model.keras changes).
 */
export function drawHandler(): DrawHandler {
  const cache = new Map<string, { mtime: number; loaded: Promise<LoadedModel> }>();
  const load = (runDir: string): Promise<LoadedModel> => {
    const file = path.join(runDir, 'model.keras');
    if (!fs.existsSync(file)) throw new HttpError(404, 'this run folder has no model.keras');
    const mtime = fs.statSync(file).mtimeMs;
    let c = cache.get(runDir);
    if (!c || c.mtime !== mtime) {
      c = { mtime, loaded: loadModelFile(file) };
      cache.set(runDir, c);
      c.loaded.catch(() => cache.delete(runDir));
    }
    return c.loaded;
  };
  return async (runDir: string, png: Buffer): Promise<DrawResult> => {
    const loaded = await load(runDir);
    const { model } = loaded;
    let geo: { h: number; w: number; c: number };
    try {
      geo = inputGeometry(model.inputs[0].shape);
    } catch (e) {
      throw new HttpError(400, (e as Error).message);
    }
    const { h, w, c } = geo;
    if (c !== 1) throw new HttpError(400, 'this model takes color images; drawing is for grey image models (MNIST, Fashion-MNIST)');
    const dataset = loaded.dataset ?? 'mnist';
    let prepared;
    try {
      prepared = await prepareImage(png, { height: h, width: w, invert: 'auto', fit: dataset === 'fashion-mnist' ? 'fill' : 'digit' });
    } catch (e) {
      if (e instanceof TatamiError) throw new HttpError(400, e.message);
      throw e;
    }
    const x = Tensor.empty([1, h * w]);
    x.values.set(prepared.data);
    const input = asModelInput(model, x);
    const out = model.predict(input) as Tensor;
    const k = out.shape[1];
    const probs = toProbabilities(Array.from(out.values.subarray(0, k)));
    const names = classNamesFor(dataset, loaded, k);
    const order = probs.map((_, j) => j).sort((a, b) => probs[b] - probs[a]).slice(0, 3);
    const conv = firstConvLayers(model, 1)[0];
    const maps = conv ? await viz.plotFeatureMaps(model, conv.name, input, { maxImages: 1, maxMaps: 16, mapsPerRow: 8, tileSize: 56 }) : null;
    return {
      top: order.map((j) => ({ class: j, name: names[j] ?? String(j), probability: probs[j] })),
      seen: Array.from(prepared.data, (v) => Math.round(v * 1000) / 1000),
      width: w,
      height: h,
      inverted: prepared.inverted,
      convLayer: conv?.name ?? null,
      featureMaps: maps ? `data:image/png;base64,${Buffer.from(maps.png).toString('base64')}` : null,
    };
  };
}
