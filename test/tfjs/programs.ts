/* eslint-disable @typescript-eslint/no-explicit-any */
// TensorFlow.js programs written the tfjs way. Each takes the module it runs on, `tf`, so the same
// source runs on '@tensorflow/tfjs' and on 'tatami/tfjs' (the only difference is that import),
// and returns plain values (numbers, arrays, log keys) for the test to compare.

type TF = any;

export interface InitWeights {
  shape: number[];
  values: Float32Array;
}

/** Tensor manipulation: creation, chained methods, dtype changes, buffers, tidy, reductions. */
export async function tensorProgram(tf: TF): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const a = tf.tensor2d([[1, 2], [3, 4]]);
  out.squareSum = a.square().sum().dataSync()[0];
  out.toInt = a.toFloat().div(3).toInt().arraySync();
  out.asType = a.asType('int32').dtype;
  out.reshape = a.reshape([4]).shape;
  out.as1D = a.as1D().shape;
  out.data = Array.from(await a.data());
  out.array = await a.array();
  const b = tf.buffer([2, 3]);
  b.set(5, 1, 0);
  b.set(7, 0, 2);
  out.buffer = b.toTensor().arraySync();
  out.bufferGet = a.bufferSync().get(1, 1);
  out.linspace = Array.from(tf.linspace(0, 1, 5).dataSync());
  out.range = Array.from(tf.range(0, 10, 3).dataSync());
  out.oneHot = tf.oneHot(tf.tensor1d([0, 2, 1], 'int32'), 3).arraySync();
  out.fill = tf.fill([2, 2], 7).arraySync();
  out.scalar = tf.scalar(3.5).arraySync();
  out.t5 = tf.tensor5d([1, 2, 3, 4], [1, 1, 1, 2, 2]).shape;
  out.t6 = tf.tensor6d([1, 2], [1, 1, 1, 1, 1, 2]).shape;
  out.zerosOnes = [tf.zeros([2]).arraySync(), tf.ones([1, 2], 'int32').arraySync()];
  out.randShape = [tf.randomNormal([3, 4]).shape, tf.randomUniform([2], 0, 1).dtype];
  out.chain = a.add(1).mul(2).sub(tf.scalar(1)).relu().mean(0).arraySync();
  out.matMul = a.matMul(a, false, true).arraySync();
  out.argMax = tf.tensor2d([[1, 9, 3], [7, 2, 5]]).argMax(1).arraySync();
  out.ranked = [tf.concat1d([tf.tensor1d([1]), tf.tensor1d([2, 3])]).arraySync(), tf.concat2d([a, a], 1).shape,
    tf.slice1d(tf.tensor1d([1, 2, 3, 4]), 1, 2).arraySync(), tf.slice2d(a, [1, 0], [1, 2]).arraySync(),
    tf.pad1d(tf.tensor1d([1, 2]), [1, 2], 9).arraySync(), tf.pad2d(a, [[0, 1], [1, 0]]).arraySync(),
    tf.batchNorm2d(a, tf.tensor1d([1, 1]), tf.tensor1d([4, 4]), undefined, undefined, 0).arraySync()];
  out.softmax = Array.from(tf.softmax(tf.tensor1d([1, 2, 3])).dataSync());
  out.concat = tf.concat([a, a], 1).shape;
  out.toString = a.toString();
  const before = tf.memory().numTensors;
  const kept = tf.tidy(() => {
    tf.ones([3]).add(1);
    return tf.keep(tf.zeros([1]));
  });
  out.tidyLeak = tf.memory().numTensors - before;
  tf.dispose(kept);
  out.afterDispose = tf.memory().numTensors - before;
  out.sizeFromShape = tf.util.sizeFromShape([2, 3, 4]);
  const arr = [1, 2, 3, 4, 5];
  tf.util.shuffle(arr);
  out.shuffled = [...arr].sort();
  return out;
}

/** A custom training loop: tf.variable, tf.train.<optimizer>.minimize and tf.variableGrads. */
export function customLoopProgram(tf: TF, optimizer: string): Record<string, unknown> {
  const xs = tf.tensor1d([0, 1, 2, 3, 4]);
  const ys = tf.tensor1d([1, 3.1, 4.9, 7.2, 9]);
  const m = tf.variable(tf.scalar(0.3), true, `m_${optimizer}`);
  const b = tf.variable(tf.scalar(-0.2), true, `b_${optimizer}`);
  const loss = () => xs.mul(m).add(b).sub(ys).square().mean();
  const make: Record<string, () => any> = {
    sgd: () => tf.train.sgd(0.02),
    momentum: () => tf.train.momentum(0.02, 0.9),
    nesterov: () => tf.train.momentum(0.02, 0.9, true),
    adam: () => tf.train.adam(0.1),
    // a large epsilon tells tfjs's rule (ε beside √v̂) from Keras's (ε beside √v)
    adamEpsilon: () => tf.train.adam(0.1, 0.9, 0.999, 0.1),
    adamax: () => tf.train.adamax(0.1),
    rmsprop: () => tf.train.rmsprop(0.05),
    centered: () => tf.train.rmsprop(0.05, 0.9, 0.5, 1e-6, true),
    adagrad: () => tf.train.adagrad(0.3),
    adadelta: () => tf.train.adadelta(0.05),
  };
  const opt = make[optimizer]();
  const costs: number[] = [];
  for (let i = 0; i < 20; i++) {
    const cost = opt.minimize(loss, true, [m, b]);
    costs.push(cost.dataSync()[0]);
    cost.dispose();
  }
  const { value, grads } = tf.variableGrads(loss, [m, b]);
  const g = tf.grad((x: any) => x.square().mul(3))(tf.tensor1d([1, 2]));
  return {
    costs, m: m.dataSync()[0], b: b.dataSync()[0], value: value.dataSync()[0],
    gradNames: Object.keys(grads).sort(), gm: grads[m.name].dataSync()[0], grad: Array.from(g.dataSync()),
  };
}

/**
 * The tfjs MNIST tutorial's convnet and training loop: tensor4d images, oneHot labels, adam,
 * a callbacks object awaiting tf.nextFrame, evaluate(...)[1].dataSync() for the accuracy.
 */
export async function mnistProgram(tf: TF, images: Float32Array, labels: Int32Array, init: InitWeights[] | null) {
  const n = labels.length;
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], kernelSize: 5, filters: 8, strides: 1, activation: 'relu', kernelInitializer: 'varianceScaling' }));
  model.add(tf.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2] }));
  model.add(tf.layers.conv2d({ kernelSize: 5, filters: 16, strides: 1, activation: 'relu', kernelInitializer: 'varianceScaling' }));
  model.add(tf.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2] }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 10, kernelInitializer: 'varianceScaling', activation: 'softmax' }));
  if (init) model.setWeights(init.map((w) => tf.tensor(w.values, w.shape)));
  model.compile({ optimizer: tf.train.adam(), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

  const [trainXs, trainYs] = tf.tidy(() => [
    tf.tensor4d(images, [n, 28, 28, 1]),
    tf.oneHot(tf.tensor1d(Array.from(labels), 'int32'), 10).toFloat(),
  ]);
  const batchLogs: Record<string, number>[] = [];
  const epochLogs: Record<string, number>[] = [];
  const history = await model.fit(trainXs, trainYs, {
    batchSize: 32, epochs: 2, shuffle: false, validationSplit: 0.25, verbose: 0,
    callbacks: {
      onBatchEnd: async (_batch: number, logs: Record<string, number>) => {
        batchLogs.push(logs);
        await tf.nextFrame();
      },
      onEpochEnd: async (_epoch: number, logs: Record<string, number>) => {
        epochLogs.push(logs);
        await tf.nextFrame();
      },
    },
  });
  const evalResult = model.evaluate(trainXs, trainYs);
  const accuracy = evalResult[1].dataSync()[0];
  const loss = evalResult[0].dataSync()[0];
  const preds = model.predict(trainXs.slice([0, 0, 0, 0], [4, 28, 28, 1])).argMax(-1).dataSync();
  const lines: string[] = [];
  model.summary(undefined, undefined, (l: string) => lines.push(l));
  tf.dispose([trainXs, trainYs]);
  return {
    historyKeys: Object.keys(history.history), history: history.history, epochs: history.epoch, batchLogs, epochLogs,
    evalIsScalar: evalResult[0].rank === 0 && evalResult.length === 2, loss, accuracy, preds: Array.from(preds),
    summaryLines: lines,
  };
}
