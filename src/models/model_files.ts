import { TatamiError } from '../util/errors';
// Type-only: model.ts imports this file at run time.
import type { BaseModel } from './model';

/**
 * The slot through which models save and load files. Saving lives in src/saving, which imports
 * models and never the reverse, so the saving module installs its implementation here when it is
 * loaded (src/index.ts loads it); model.save and friends call through the slot.
 */

export interface SaveOptions {
  /** Store the optimizer's state so training resumes exactly (default true). */
  includeOptimizer?: boolean;
  /** Replace an existing file (default true, as Keras). */
  overwrite?: boolean;
}

export interface LoadWeightsOptions {
  /** Legacy .h5 only: match layers by name instead of by position. */
  byName?: boolean;
}

export interface ModelFiles {
  save(model: BaseModel, filepath: string, options: SaveOptions): Promise<void>;
  saveWeights(model: BaseModel, filepath: string, options: { overwrite?: boolean }): Promise<void>;
  loadWeights(model: BaseModel, filepath: string, options: LoadWeightsOptions): Promise<void>;
}

let installed: ModelFiles | null = null;

/** Installs the implementation of model.save / saveWeights / loadWeights (null uninstalls it). */
export function setModelFiles(files: ModelFiles | null): void {
  installed = files;
}

/** The installed implementation, or a clear error naming what to import. */
export function modelFiles(method: string): ModelFiles {
  if (!installed) {
    throw new TatamiError(`model.${method}: no saving module is loaded; import tatami's main entry point (src/index.ts) or src/saving/index.ts before saving or loading models`);
  }
  return installed;
}
