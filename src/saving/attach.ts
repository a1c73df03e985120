import { LayersModel } from '../models/functional';
import { loadWeights, saveModel, saveWeights } from './model_io';
import type { LoadWeightsOptions, SaveOptions } from './model_types';

/**
 * save / saveWeights / loadWeights for functional models, installed on LayersModel's prototype
 * (Sequential defines the same methods itself). Imported for its effect by src/index.ts.
 */
declare module '../models/functional' {
  interface LayersModel {
    /** 'm.keras' (Keras 3) or 'm.h5' (legacy HDF5), with the optimizer's state by default. */
    save(filepath: string, options?: SaveOptions): Promise<void>;
    /** 'w.weights.h5' (Keras 3 layout) or 'w.h5' (legacy layout). */
    saveWeights(filepath: string, options?: { overwrite?: boolean }): Promise<void>;
    /** Weights from a .weights.h5, .keras or .h5 file; nothing changes if anything does not fit. */
    loadWeights(filepath: string, options?: LoadWeightsOptions): Promise<void>;
  }
}

const methods: Pick<LayersModel, 'save' | 'saveWeights' | 'loadWeights'> = {
  save(this: LayersModel, filepath: string, options: SaveOptions = {}) {
    return saveModel(this, filepath, options);
  },
  saveWeights(this: LayersModel, filepath: string, options: { overwrite?: boolean } = {}) {
    return saveWeights(this, filepath, options);
  },
  loadWeights(this: LayersModel, filepath: string, options: LoadWeightsOptions = {}) {
    return loadWeights(this, filepath, options);
  },
};

for (const [name, fn] of Object.entries(methods)) {
  if (!Object.prototype.hasOwnProperty.call(LayersModel.prototype, name)) {
    Object.defineProperty(LayersModel.prototype, name, { value: fn, writable: true, configurable: true });
  }
}
