import { layers as coreLayers } from '../layers/index';
import { initializers as coreInitializers } from '../initializers/index';
import { losses as rawLosses, metrics as rawMetrics } from './losses';
import { util as rawUtil } from './util';
import { io as rawIo } from './io';
import { data as rawData } from './data/index';
import { absentNamespace, guard, type WithMissing } from './missing';
import { ABSENT, PARTIAL } from './missing_names';

// tfjs's namespaces as tatami/tfjs exports them: the ones it implements in part are guarded, so
// a tfjs name they lack (tf.layers.lstm) throws NotImplementedError naming it; the ones it has
// none of (tf.browser, tf.signal) throw on any function read from them.

export const layers: WithMissing<typeof coreLayers, typeof PARTIAL.layers> = guard('layers', coreLayers, PARTIAL.layers);
export const initializers: WithMissing<typeof coreInitializers, typeof PARTIAL.initializers> = guard('initializers', coreInitializers, PARTIAL.initializers);
export const losses: WithMissing<typeof rawLosses, typeof PARTIAL.losses> = guard('losses', rawLosses, PARTIAL.losses);
export const metrics: WithMissing<typeof rawMetrics, typeof PARTIAL.metrics> = guard('metrics', rawMetrics, PARTIAL.metrics);
export const util: WithMissing<typeof rawUtil, typeof PARTIAL.util> = guard('util', rawUtil, PARTIAL.util);
export const io: WithMissing<typeof rawIo, typeof PARTIAL.io> = guard('io', rawIo, PARTIAL.io);
export const data: WithMissing<typeof rawData, typeof PARTIAL.data> = guard('data', rawData, PARTIAL.data);

export const browser = absentNamespace('browser', ABSENT.browser);
export const signal = absentNamespace('signal', ABSENT.signal);
export const linalg = absentNamespace('linalg', ABSENT.linalg);
export const image = absentNamespace('image', ABSENT.image);
export const spectral = absentNamespace('spectral', ABSENT.spectral);
export const sparse = absentNamespace('sparse', ABSENT.sparse);
export const string = absentNamespace('string', ABSENT.string);
export const regularizers = absentNamespace('regularizers', ABSENT.regularizers);
export const constraints = absentNamespace('constraints', ABSENT.constraints);
export const models = absentNamespace('models', ABSENT.models);
export const serialization = absentNamespace('serialization', ABSENT.serialization);
export const math = absentNamespace('math', ABSENT.math);
export const webgl = absentNamespace('webgl', ABSENT.webgl);
