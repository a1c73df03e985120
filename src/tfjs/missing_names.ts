// TensorFlow.js 4.22's names that tatami/tfjs does not implement, taken from @tensorflow/tfjs's
// exports (backend, kernel and WebGL plumbing left out). missing.ts turns each into a clear error.

/** tfjs namespaces tatami/tfjs has none of, with the names in each. */
export const ABSENT = {
  browser: [
    'draw', 'fromPixels', 'fromPixelsAsync', 'toPixels',
  ],
  signal: [
    'frame', 'hammingWindow', 'hannWindow', 'stft',
  ],
  linalg: [
    'bandPart', 'gramSchmidt', 'qr',
  ],
  image: [
    'cropAndResize', 'flipLeftRight', 'grayscaleToRGB', 'nonMaxSuppression', 'nonMaxSuppressionAsync',
    'nonMaxSuppressionPadded', 'nonMaxSuppressionPaddedAsync', 'nonMaxSuppressionWithScore',
    'nonMaxSuppressionWithScoreAsync', 'resizeBilinear', 'resizeNearestNeighbor', 'rgbToGrayscale', 'rotateWithOffset',
    'threshold', 'transform',
  ],
  spectral: [
    'fft', 'ifft', 'irfft', 'rfft',
  ],
  sparse: [
    'sparseFillEmptyRows', 'sparseReshape', 'sparseSegmentMean', 'sparseSegmentSum',
  ],
  string: [
    'staticRegexReplace', 'stringNGrams', 'stringSplit', 'stringToHashBucketFast',
  ],
  regularizers: [
    'l1', 'l1l2', 'l2',
  ],
  constraints: [
    'maxNorm', 'minMaxNorm', 'nonNeg', 'unitNorm',
  ],
  models: [
    'modelFromJSON',
  ],
  serialization: [
    'Serializable', 'SerializationMap', 'getRegisteredName', 'registerClass',
  ],
  math: [
    'confusionMatrix',
  ],
  webgl: [
    'forceHalfFloat',
  ],
} as const;

/** Names in the tfjs namespaces tatami/tfjs has, that its namespaces lack. */
export const PARTIAL = {
  layers: [
    'Layer', 'RNN', 'RNNCell', 'alphaDropout', 'average', 'averagePooling1d', 'averagePooling3d', 'avgPool1d',
    'avgPool3d', 'avgPooling1d', 'avgPooling2d', 'avgPooling3d', 'bidirectional', 'categoryEncoding', 'conv1d',
    'conv3d', 'conv3dTranspose', 'convLstm2d', 'convLstm2dCell', 'cropping2D', 'dot', 'elu', 'embedding',
    'gaussianDropout', 'gaussianNoise', 'globalAveragePooling1d', 'globalMaxPool1d', 'globalMaxPooling1d', 'gru',
    'gruCell', 'input', 'layerNormalization', 'leakyReLU', 'lstm', 'lstmCell', 'masking', 'maxPool1d', 'maxPooling1d',
    'maxPooling3d', 'maximum', 'minimum', 'multiply', 'permute', 'prelu', 'randomWidth', 'repeatVector', 'rnn',
    'simpleRNN', 'simpleRNNCell', 'softmax', 'spatialDropout1d', 'stackedRNNCells', 'thresholdedReLU',
    'timeDistributed',
  ],
  train: [],
  losses: [
    'cosineDistance', 'huberLoss',
  ],
  metrics: [
    'MAPE', 'binaryCrossentropy', 'categoricalCrossentropy', 'cosineProximity', 'mape', 'meanAbsolutePercentageError',
    'precision', 'r2Score', 'recall',
  ],
  util: [
    'arraysEqualWithNull', 'assertNonNegativeIntegerDimensions', 'assertNonNull', 'assertShapesMatch',
    'bytesFromStringArray', 'bytesPerElement', 'checkConversionForErrors', 'computeStrides',
    'convertBackendValuesAndArrayBuffer', 'createScalarValue', 'distSquared', 'fetch', 'fingerPrint64',
    'getArrayFromDType', 'getTypedArrayFromDType', 'hasEncodingLoss', 'hexToLong', 'indexToLoc', 'inferDtype',
    'inferFromImplicitShape', 'isBoolean', 'isFunction', 'isInt', 'isNumber', 'isPromise', 'isScalarShape', 'isString',
    'isValidDtype', 'locToIndex', 'makeOnesTypedArray', 'makeZerosNestedTypedArray', 'makeZerosTypedArray',
    'nearestDivisor', 'nearestLargerEven', 'parseAxisParam', 'randUniform', 'repeatedTry', 'rightPad',
    'sizeToSquarishShape', 'squeezeShape', 'swap', 'tanh', 'toNestedArray', 'toTypedArray',
  ],
  io: [
    'CompositeArrayBuffer', 'browserFiles', 'browserHTTPRequest', 'concatenateArrayBuffers', 'copyModel',
    'decodeWeights', 'decodeWeightsStream', 'encodeWeights', 'fromMemorySync', 'getLoadHandlers',
    'getModelArtifactsForJSON', 'getModelArtifactsForJSONSync', 'getModelArtifactsInfoForJSON', 'getSaveHandlers',
    'getWeightSpecs', 'http', 'isHTTPScheme', 'listModels', 'loadWeights', 'moveModel', 'registerLoadRouter',
    'registerSaveRouter', 'removeModel', 'weightsLoaderFactory', 'withSaveHandlerSync',
  ],
  data: [
    'FileDataSource', 'TextLineDataset', 'URLDataSource', 'microphone', 'webcam',
  ],
  callbacks: [],
  initializers: [
    'identity', 'leCunNormal', 'leCunUniform', 'orthogonal',
  ],
} as const;
