import type { Variable } from '../tensor/tensor';
import type { Layer } from '../layers/layer';
import type { BaseModel } from '../models/model';
import type { ArrayData } from './h5nodes';
import { ModelFileError } from './files';

/** What saving and loading need of a model: Sequential and functional models are both one. */
export type IoModel = BaseModel;

export type { SaveOptions, LoadWeightsOptions } from '../models/model_files';

export interface LoadModelOptions {
  /** Compile the model from the saved training configuration (default true). */
  compile?: boolean;
}

/**
 * A layer's variables in Keras's saving order: those created trainable first, then the others
 * (Layer.save_own_variables: _trainable_variables + _non_trainable_variables).
 */
export function layerVariables(layer: Layer): Variable[] {
  const ws = layer.weights;
  return [...ws.filter((w) => w.trainable), ...ws.filter((w) => !w.trainable)];
}

/** Values checked against their variables, assigned only once every one of them fits. */
export class PendingAssignments {
  private items: { variable: Variable; data: ArrayData }[] = [];

  add(variable: Variable, data: ArrayData, where: string): void {
    if (data.shape.join() !== variable.shape.join()) {
      throw new ModelFileError(`${where}: expected shape [${variable.shape}] for '${variable.name}', the file has [${data.shape}]`);
    }
    this.items.push({ variable, data });
  }

  get size(): number {
    return this.items.length;
  }

  apply(): void {
    for (const { variable, data } of this.items) variable.assign(data.values);
  }
}
