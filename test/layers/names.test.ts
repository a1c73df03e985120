import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { layerClass, layers } from '../../src/layers/index';

// Keras's default names (snake_case of the class, then _1, _2, ...) and registry entries for the
// layers added with issue 4.

describe('new layers: default names and registry', () => {
  const made = {
    batch_normalization: layers.batchNormalization(),
    global_average_pooling2d: layers.globalAveragePooling2d(),
    global_max_pooling2d: layers.globalMaxPooling2d(),
    zero_padding2d: layers.zeroPadding2d(),
    up_sampling2d: layers.upSampling2d(),
    rescaling: layers.rescaling({ scale: 2 }),
    add: layers.add(),
    concatenate: layers.concatenate(),
    depthwise_conv2d: layers.depthwiseConv2d({ kernelSize: 3 }),
    separable_conv2d: layers.separableConv2d({ filters: 2, kernelSize: 3 }),
    conv2d_transpose: layers.conv2dTranspose({ filters: 2, kernelSize: 3 }),
  };
  it('snake_case names with Keras suffixes', () => {
    for (const [base, layer] of Object.entries(made)) assert.match(layer.name, new RegExp(`^${base}(_\\d+)?$`));
    const a = layers.add();
    const b = layers.add();
    const index = (name: string) => (name === 'add' ? 0 : Number(name.slice('add_'.length)));
    assert.equal(index(b.name), index(a.name) + 1);
  });
  it('every class is registered under its Keras class name', () => {
    for (const layer of Object.values(made)) assert.equal(layerClass(layer.className), layer.constructor);
  });
});
