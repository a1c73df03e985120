import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tt from '../../src/index';
import { Layer, defineLayer, layerClass, registerLayer, type LayerArgs } from '../../src/layers/index';
import { mul } from '../../src/ops/index';
import type { Tensor } from '../../src/tensor/tensor';
import { TatamiError } from '../../src/util/errors';
import { modelConfigToKeras, modelFromKeras } from '../../src/saving/model_architecture';
import { pyJson, type JsonObject } from '../../src/saving/pyjson';

// A layer whose JS class name a minifier has mangled still registers, errors and saves under the
// Keras name its class declares. (Its own file, so the extra registration touches no other test.)

interface TimesArgs extends LayerArgs {
  factor?: number;
}

// a class expression bound to a one-letter name, as minified code has it
const a = class extends Layer {
  static readonly className = 'TimesFactor';
  readonly factor: number;
  constructor(args: TimesArgs = {}) {
    super(args, ['factor']);
    this.factor = args.factor ?? 2;
    this.initName(args.name);
  }
  call(input: Tensor | Tensor[]): Tensor {
    return mul(input as Tensor, this.factor);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor };
  }
};
Object.defineProperty(a, 'name', { value: 'b' });

registerLayer(defineLayer({ cls: a, factories: { timesFactor: (args: TimesArgs = {}) => new a(args) }, layout: [['factor', 2]], aliases: ['Times'] }));

describe('a layer class with a mangled JS name', () => {
  it('registers under its static className and aliases', () => {
    assert.equal(a.name, 'b');
    assert.equal(layerClass('TimesFactor'), a);
    assert.equal(layerClass('Times'), a);
    const layer = new a({ factor: 3 });
    assert.equal(layer.className, 'TimesFactor');
    assert.match(layer.name, /^times_factor(_\d+)?$/);
  });

  it('names itself by its Keras name in option errors', () => {
    assert.throws(() => new a({ factr: 3 } as TimesArgs), /^ValueError: TimesFactor: unknown option 'factr'; allowed: .*factor/);
  });

  for (const style of ['keras3', 'keras2'] as const) {
    it(`saves and loads under its Keras name (${style})`, () => {
      const model = tt.sequential([tt.layers.dense({ units: 3, inputShape: [4] }), new a({ factor: 3 })]);
      const spec = JSON.parse(pyJson(modelConfigToKeras(model, style, false))) as JsonObject;
      const entries = (spec.config as JsonObject).layers as JsonObject[];
      const entry = entries[entries.length - 1];
      assert.equal(entry.class_name, 'TimesFactor');
      assert.equal((entry.config as JsonObject).factor, 3);
      const back = modelFromKeras(spec, 'test');
      const layer = back.layers[back.layers.length - 1];
      assert.ok(layer instanceof a);
      assert.equal((layer as InstanceType<typeof a>).factor, 3);
      // read under its alias too
      entry.class_name = 'Times';
      assert.ok(modelFromKeras(spec, 'test').layers.some((l) => l instanceof a));
    });
  }

  it('refuses classes without a static className, naming the problem', () => {
    const c = class extends Layer {
      call(input: Tensor | Tensor[]): Tensor {
        return input as Tensor;
      }
    };
    assert.throws(() => new c(), (e: Error) => e instanceof TatamiError && /static readonly className/.test(e.message));
    const inherits = class extends a {};
    assert.throws(() => registerLayer(defineLayer({ cls: inherits, factories: {}, layout: [] })), /own static className/);
  });
});
