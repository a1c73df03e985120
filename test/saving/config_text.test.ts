import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ModelFileError } from '../../src/saving/files';
import { functionalFromKeras } from '../../src/saving/functional_io';
import { initializerFromKeras } from '../../src/saving/keras_config';
import type { JsonObject } from '../../src/saving/pyjson';

// A parsed config object with a "toString" (or "valueOf") key makes String() and Number() throw
// a TypeError (found by the fuzz harness in a layer name); where a config value is used as text
// or a number, such an object is a ModelFileError naming the value.

const hostile = JSON.parse('{"toString": true, "valueOf": 1}');
const isModelFileError = (re: RegExp) => (e: Error) => e instanceof ModelFileError && re.test(e.message);

describe('config values that shadow toString', () => {
  it('an initializer mode or distribution', () => {
    for (const key of ['mode', 'distribution']) {
      assert.throws(() => initializerFromKeras({ class_name: 'VarianceScaling', config: { [key]: hostile } }, "layer 'd'"),
        isModelFileError(new RegExp(`layer 'd': the initializer's ${key} is \\{"toString":true,"valueOf":1\\}, not a string`)));
    }
  });
  it('a layer name and an output_layers entry of a functional config', () => {
    const input = { class_name: 'InputLayer', name: 'in', config: { name: 'in', batch_shape: [null, 2] }, inbound_nodes: [] };
    const spec = (layer: JsonObject, outputs: unknown): JsonObject =>
      ({ class_name: 'Functional', config: { name: 'f', layers: [layer], input_layers: [['in', 0, 0]], output_layers: outputs } }) as JsonObject;
    assert.throws(() => functionalFromKeras(spec({ ...input, name: hostile }, [['in', 0, 0]]), 'm.keras'),
      isModelFileError(/'m\.keras': the name of layer 0 of the model config is \{"toString":true,"valueOf":1\}, not a string/));
    assert.throws(() => functionalFromKeras(spec(input, [['in', hostile, 0]]), 'm.keras'),
      isModelFileError(/'m\.keras': cannot read output_layers entry \["in",\{"toString":true,"valueOf":1\},0\]/));
  });
});
