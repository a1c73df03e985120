import { TatamiError } from '../util/errors';

/**
 * What a tfjs program reaches for and tatami/tfjs does not implement fails with this error,
 * naming the function (tf.signal.stft, tf.layers.lstm) and the nearest tatami function, instead
 * of "undefined is not a function" further on.
 */
export class NotImplementedError extends TatamiError {
  constructor(readonly path: string, readonly nearest: string) {
    super(`tf.${path} is not implemented by tatami/tfjs; ${nearest}`);
    this.name = 'NotImplementedError';
  }
}

/** A function standing for a missing tfjs function: calling it (or new) throws. */
export type Missing = ((...args: never[]) => never) & { readonly notImplemented: true };

const RECURRENT = 'tatami has no recurrent layers yet (nearest: tf.layers.dense over tf.layers.flatten, or tf.layers.conv2d over the sequence)';
const READ_IMAGES = "tatami runs in Node: read image files with loadImg and imgToArray from 'tatami' (tt.preprocessing.image)";
const ACTIVATION = (a: string) => `nearest: tf.layers.activation({ activation: '${a}' })`;

/** The nearest tatami function for a missing tfjs name ('ns.name' first, then the bare name). */
const HINTS: Record<string, string> = {
  conv1d: 'nearest: tf.conv2d on (N, 1, W, C) inputs', conv3d: 'nearest: tf.conv2d', conv3dTranspose: 'nearest: tf.conv2dTranspose',
  maxPool3d: 'nearest: tf.maxPool', avgPool3d: 'nearest: tf.avgPool', pool: 'nearest: tf.maxPool or tf.avgPool',
  mirrorPad: 'nearest: tf.pad (constant padding)',
  rsqrt: 'nearest: tf.reciprocal(tf.sqrt(x))', log1p: 'nearest: tf.log(tf.add(x, 1))', expm1: 'nearest: tf.sub(tf.exp(x), 1)',
  ceil: 'nearest: tf.neg(tf.floor(tf.neg(x)))', logSigmoid: 'nearest: tf.neg(tf.softplus(tf.neg(x)))', logSumExp: 'nearest: tf.logSoftmax, tf.max, tf.exp and tf.sum',
  floorDiv: 'nearest: tf.floor(tf.div(a, b))', mod: 'nearest: tf.sub(a, tf.mul(tf.floor(tf.div(a, b)), b))', divNoNan: 'nearest: tf.div',
  notEqual: 'nearest: tf.sub(1, tf.equal(a, b))', addN: 'nearest: tf.add, pairwise', dot: 'nearest: tf.matMul', outerProduct: 'nearest: tf.matMul of a column and a row',
  norm: 'nearest: tf.sqrt(tf.sum(tf.square(x)))', euclideanNorm: 'nearest: tf.sqrt(tf.sum(tf.square(x)))', moments: 'nearest: tf.mean and tf.square',
  tile: 'nearest: tf.concat of copies', reverse: 'nearest: tf.gather with reversed indices', split: 'nearest: tf.slice', unstack: 'nearest: tf.slice and tf.squeeze',
  where: 'nearest: tf.add(tf.mul(mask, a), tf.mul(tf.sub(1, mask), b))', topk: 'nearest: tf.argMax', step: 'nearest: tf.cast(tf.greater(x, 0), \'float32\')',
  prelu: 'nearest: tf.leakyRelu', randomUniformInt: 'nearest: tf.floor(tf.randomUniform(shape, min, max))', randomStandardNormal: 'use tf.randomNormal(shape)',
  disposeVariables: 'nearest: tf.dispose(variables)', customGrad: 'nearest: tf.grad and tf.variableGrads over tatami ops',
  EarlyStopping: 'use tf.callbacks.earlyStopping(args)', loadGraphModel: 'tatami loads layers models: use tf.loadLayersModel (convert a graph model from its Keras source)',
  loadGraphModelSync: 'use tf.loadLayersModel', GraphModel: 'tatami loads layers models: use tf.loadLayersModel', RNN: RECURRENT,
  basicLSTMCell: RECURRENT, multiRNNCell: RECURRENT,
  SGDOptimizer: 'use tf.train.sgd(learningRate)', MomentumOptimizer: 'use tf.train.momentum(learningRate, momentum)', AdamOptimizer: 'use tf.train.adam()',
  AdamaxOptimizer: 'use tf.train.adamax()', RMSPropOptimizer: 'use tf.train.rmsprop(learningRate)', AdagradOptimizer: 'use tf.train.adagrad(learningRate)',
  AdadeltaOptimizer: 'use tf.train.adadelta()',
  'layers.conv1d': 'nearest: tf.layers.conv2d', 'layers.conv3d': 'nearest: tf.layers.conv2d', 'layers.conv3dTranspose': 'nearest: tf.layers.conv2dTranspose',
  'layers.maxPooling1d': 'nearest: tf.layers.maxPooling2d', 'layers.maxPool1d': 'nearest: tf.layers.maxPooling2d', 'layers.maxPooling3d': 'nearest: tf.layers.maxPooling2d',
  'layers.averagePooling1d': 'nearest: tf.layers.averagePooling2d', 'layers.avgPool1d': 'nearest: tf.layers.averagePooling2d',
  'layers.averagePooling3d': 'nearest: tf.layers.averagePooling2d', 'layers.avgPool3d': 'nearest: tf.layers.averagePooling2d',
  'layers.avgPooling1d': 'nearest: tf.layers.averagePooling2d', 'layers.avgPooling2d': 'use tf.layers.averagePooling2d', 'layers.avgPooling3d': 'nearest: tf.layers.averagePooling2d',
  'layers.globalAveragePooling1d': 'nearest: tf.layers.globalAveragePooling2d', 'layers.globalMaxPooling1d': 'nearest: tf.layers.globalMaxPooling2d',
  'layers.globalMaxPool1d': 'nearest: tf.layers.globalMaxPooling2d',
  'layers.lstm': RECURRENT, 'layers.gru': RECURRENT, 'layers.simpleRNN': RECURRENT, 'layers.rnn': RECURRENT, 'layers.bidirectional': RECURRENT,
  'layers.lstmCell': RECURRENT, 'layers.gruCell': RECURRENT, 'layers.simpleRNNCell': RECURRENT, 'layers.stackedRNNCells': RECURRENT,
  'layers.convLstm2d': RECURRENT, 'layers.convLstm2dCell': RECURRENT, 'layers.RNN': RECURRENT, 'layers.RNNCell': RECURRENT,
  'layers.timeDistributed': 'nearest: tf.layers.reshape around the wrapped layer',
  'layers.elu': ACTIVATION('elu'), 'layers.leakyReLU': ACTIVATION('leakyRelu'), 'layers.prelu': ACTIVATION('leakyRelu'),
  'layers.thresholdedReLU': 'nearest: tf.layers.reLU({ threshold })', 'layers.softmax': ACTIVATION('softmax'),
  'layers.multiply': 'nearest: tf.layers.add', 'layers.maximum': 'nearest: tf.layers.add', 'layers.minimum': 'nearest: tf.layers.add',
  'layers.average': 'nearest: tf.layers.add', 'layers.dot': 'nearest: tf.layers.dense',
  'layers.embedding': 'nearest: tf.layers.dense on tf.oneHot(ids, vocabulary)', 'layers.layerNormalization': 'nearest: tf.layers.batchNormalization',
  'layers.input': 'use tf.input({ shape })', 'layers.gaussianNoise': 'nearest: tf.layers.dropout', 'layers.gaussianDropout': 'nearest: tf.layers.dropout',
  'layers.alphaDropout': 'nearest: tf.layers.dropout', 'layers.spatialDropout1d': 'nearest: tf.layers.dropout',
  'layers.cropping2D': 'nearest: tf.layers.centerCrop', 'layers.permute': 'nearest: tf.layers.reshape', 'layers.repeatVector': 'nearest: tf.layers.reshape',
  'layers.masking': 'tatami has no masking', 'layers.categoryEncoding': 'nearest: tf.oneHot', 'layers.randomWidth': 'nearest: tf.layers.randomZoom',
  'layers.Layer': 'use tf.Layer', 'losses.huberLoss': 'nearest: tf.losses.meanSquaredError', 'losses.cosineDistance': 'nearest: tf.losses.meanSquaredError',
  'metrics.binaryCrossentropy': 'nearest: the loss \'binaryCrossentropy\'', 'metrics.categoricalCrossentropy': 'nearest: the loss \'categoricalCrossentropy\'',
  'metrics.precision': 'nearest: tf.metrics.binaryAccuracy, or a custom metric function', 'metrics.recall': 'nearest: tf.metrics.binaryAccuracy, or a custom metric function',
  'initializers.identity': 'nearest: tf.initializers.ones', 'initializers.orthogonal': 'nearest: tf.initializers.glorotNormal',
  'initializers.leCunNormal': 'nearest: tf.initializers.heNormal', 'initializers.leCunUniform': 'nearest: tf.initializers.heUniform',
  'io.browserHTTPRequest': "tatami/tfjs reads and writes 'file://' paths: use tf.loadLayersModel('file://dir/model.json')",
  'io.http': "tatami/tfjs reads and writes 'file://' paths", 'io.browserFiles': "use 'file://' paths or tf.io.fromMemory",
  'data.webcam': READ_IMAGES, 'data.microphone': 'tatami has no audio input',
  'browser.fromPixels': READ_IMAGES, 'browser.fromPixelsAsync': READ_IMAGES,
  'browser.toPixels': "tatami runs in Node: write images with saveImg from 'tatami' (tt.preprocessing.image.saveImg)", 'browser.draw': 'tatami runs in Node and draws no canvas',
  'image.resizeBilinear': "nearest: tf.layers.resizing({ interpolation: 'bilinear' })", 'image.resizeNearestNeighbor': "nearest: tf.layers.resizing({ interpolation: 'nearest' })",
  'image.flipLeftRight': "nearest: tf.layers.randomFlip({ mode: 'horizontal' })", 'image.cropAndResize': 'nearest: tf.layers.centerCrop',
  'regularizers.l2': 'tatami has no weight regularizers yet', 'regularizers.l1': 'tatami has no weight regularizers yet', 'regularizers.l1l2': 'tatami has no weight regularizers yet',
};

/** Namespaces that are absent as a whole: what tatami offers instead. */
const NAMESPACE_HINTS: Record<string, string> = {
  signal: 'tatami has no signal processing (stft, windows)', linalg: 'tatami has no linear-algebra decompositions (nearest: tf.matMul)',
  spectral: 'tatami has no Fourier transforms', sparse: 'tatami has no sparse tensors', string: 'tatami has no string tensors',
  constraints: 'tatami has no weight constraints yet', models: 'use tf.loadLayersModel and tf.sequential / tf.model',
  serialization: 'tatami registers its own layers; custom layer classes are not serializable yet', math: 'tatami has no confusionMatrix yet',
  webgl: 'tatami runs on its CPU (wasm) backend',
};

export function nearestFor(ns: string | null, name: string): string {
  return HINTS[ns ? `${ns}.${name}` : name] ?? (ns ? NAMESPACE_HINTS[ns] : undefined) ?? HINTS[name] ??
    'tatami/tfjs implements the tensor ops, layers, training and model files listed in the README\'s tatami/tfjs section';
}

export function missingFunction(name: string, ns: string | null = null): Missing {
  const path = ns ? `${ns}.${name}` : name;
  const f = function (): never {
    throw new NotImplementedError(path, nearestFor(ns, name));
  };
  Object.defineProperty(f, 'name', { value: name });
  return Object.assign(f, { notImplemented: true as const });
}

/** Keys that inspection, JSON, await and test frameworks probe; never an error. */
const PROBES = new Set(['then', 'toJSON', 'constructor', 'inspect', 'nodeType', '$$typeof', 'asymmetricMatch', '__esModule', 'prototype', 'valueOf', 'toString', 'length', 'name']);

export type WithMissing<T, Names extends readonly string[]> = T & { readonly [K in Exclude<Names[number], keyof T>]: Missing };

/**
 * A tfjs namespace tatami implements in part: its members as they are, and for each tfjs name
 * it lacks, an error on access naming it. Other names read as undefined, as on any object.
 */
export function guard<T extends object, const Names extends readonly string[]>(ns: string, target: T, missing: Names): WithMissing<T, Names> {
  const absent = new Set<string>(missing);
  return new Proxy(target, {
    get(t, key, receiver) {
      if (typeof key === 'string' && !(key in t) && absent.has(key)) throw new NotImplementedError(`${ns}.${key}`, nearestFor(ns, key));
      return Reflect.get(t, key, receiver);
    },
  }) as WithMissing<T, Names>;
}

/** A tfjs namespace tatami has none of: reading any of its functions throws, naming it. */
export function absentNamespace<const Names extends readonly string[]>(ns: string, names: Names): { readonly [K in Names[number]]: Missing } {
  return new Proxy({} as { readonly [K in Names[number]]: Missing }, {
    get(t, key) {
      if (typeof key !== 'string' || PROBES.has(key)) return Reflect.get(t, key);
      throw new NotImplementedError(`${ns}.${key}`, nearestFor(ns, key));
    },
    has: (_t, key) => typeof key === 'string' && names.includes(key),
  });
}
