/**
 * Model files that cross over to Python Keras: .keras (Keras 3), legacy .h5 (tf.keras 2 layout),
 * .weights.h5, with the optimizer's state so training resumes exactly.
 */
import './attach';

export { saveModel, loadModel, saveWeights, loadWeights } from './model_io';
export { ModelFileError } from './files';
export type { SaveOptions, LoadWeightsOptions, LoadModelOptions } from './model_types';
