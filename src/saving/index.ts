/**
 * Model files that cross over to Python Keras: .keras (Keras 3), legacy .h5 (tf.keras 2 layout),
 * .weights.h5, with the optimizer's state so training resumes exactly. Saving imports models,
 * never the reverse: loading this module installs model.save / saveWeights / loadWeights into the
 * slot src/models/model_files.ts defines (src/index.ts loads it).
 */
import { setModelFiles } from '../models/model_files';
import { loadWeights, saveModel, saveWeights } from './model_io';

setModelFiles({ save: saveModel, saveWeights, loadWeights });

export { saveModel, loadModel, saveWeights, loadWeights } from './model_io';
export { ModelFileError } from './files';
export type { SaveOptions, LoadWeightsOptions, LoadModelOptions } from './model_types';
