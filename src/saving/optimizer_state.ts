import type { Variable } from '../tensor/tensor';
import type { Optimizer } from '../optimizers/optimizer';
import { ModelFileError } from './files';
import type { ArrayData } from './h5nodes';

/**
 * An optimizer's state as Keras lists it in `optimizer.variables` (and so in optimizer/vars/<i> of
 * a .keras file and in optimizer_weights of a legacy .h5): iteration, learning_rate (Keras 3
 * only; tf.keras 2.11+ has no learning-rate variable), then the slot variables in the order the
 * optimizer's build() creates them. Sources: keras/src/optimizers/base_optimizer.py and adam.py,
 * rmsprop.py, adadelta.py, adagrad.py, sgd.py.
 */
export interface StateEntry {
  name: string;
  values: Float32Array;
  shape: number[];
  dtype: 'int64' | 'float32';
}

interface OptimizerFields {
  className: string;
  momentum?: number;
  amsgrad?: boolean;
  centered?: boolean;
  beta1?: number;
}

/**
 * Keras's slot layout: groups created one after another; inside a group the slots are interleaved
 * per variable (Adam: m0 v0 m1 v1 ..., then every velocity_hat), as add_optimizer_variables does.
 */
export function kerasSlotGroups(opt: Optimizer): string[][] | null {
  const o = opt as unknown as OptimizerFields;
  switch (o.className) {
    case 'SGD':
      return (o.momentum ?? 0) > 0 ? [['momentum']] : [];
    case 'Adam':
      return o.amsgrad ? [['momentum', 'velocity'], ['velocity_hat']] : [['momentum', 'velocity']];
    case 'Adagrad':
      return [['accumulator']];
    case 'RMSprop':
      return [['velocity'], ...((o.momentum ?? 0) > 0 ? [['momentum']] : []), ...(o.centered ? [['average_gradient']] : [])];
    case 'Adadelta':
      return [['accumulated_grad', 'accumulated_delta_var']];
    case 'Adamax':
      return [['momentum', 'norm']];
    case 'Nadam':
      // two add_optimizer_variables calls: every momentum, then every velocity
      return [['momentum'], ['velocity']];
    default:
      return null;
  }
}

/**
 * Scalar variables Keras's build() creates after the slots. Nadam keeps the product of its momentum
 * schedule, u_product = μ(1)·…·μ(t) with μ(i) = β1·(1 − 0.5·0.96^i); tatami derives it from the
 * step, so it is written for Keras and only checked for shape on read.
 */
function kerasTrailingScalars(opt: Optimizer): StateEntry[] {
  const o = opt as unknown as OptimizerFields;
  if (o.className !== 'Nadam') return [];
  const beta1 = o.beta1 ?? 0.9;
  let product = 1;
  for (let i = 1; i <= opt.iterations; i++) product *= beta1 * (1 - 0.5 * Math.pow(0.96, i));
  return [{ name: 'u_product', values: Float32Array.of(product), shape: [], dtype: 'float32' }];
}

/** tatami's slot arrays by `${variable.name}_${slot}`, with every variable's slots created. */
function slotMap(opt: Optimizer, vars: Variable[]): { map: Map<string, Float32Array>; slots: string[] } {
  opt.build(vars);
  const state = opt.stateViews(); // written out before the next step
  const map = new Map(state.slice(1).map((s) => [s.name, s.values]));
  const prefix = vars.length ? `${vars[0].name}_` : '';
  const slots = state.slice(1).filter((s) => vars.length && s.name.startsWith(prefix)).map((s) => s.name.slice(prefix.length));
  return { map, slots };
}

/** Keras's optimizer variables for a model whose trainable weights are `vars` (in model order). */
export function kerasOptimizerState(opt: Optimizer, vars: Variable[], withLearningRate: boolean): StateEntry[] {
  const { map, slots } = slotMap(opt, vars);
  const groups = kerasSlotGroups(opt) ?? [slots];
  const out: StateEntry[] = [{ name: 'iteration', values: Float32Array.of(opt.iterations), shape: [], dtype: 'int64' }];
  if (withLearningRate) out.push({ name: 'learning_rate', values: Float32Array.of(opt.learningRate), shape: [], dtype: 'float32' });
  for (const group of groups) {
    for (const v of vars) {
      for (const slot of group) {
        const values = map.get(`${v.name}_${slot}`);
        if (!values) throw new ModelFileError(`optimizer ${opt.className} has no '${slot}' slot for variable '${v.name}'`);
        out.push({ name: `${v.name.replace(/\//g, '_')}_${slot}`, values, shape: v.shape.slice(), dtype: 'float32' });
      }
    }
  }
  return out.concat(kerasTrailingScalars(opt));
}

/**
 * Checks state read from a file (Keras 3 layout with learning_rate, or tf.keras 2.11+ without)
 * and returns the function that restores it. Returns a reason instead when the layout does not
 * fit, since Keras then only warns and starts with a fresh optimizer; throws on wrong shapes.
 */
export function prepareOptimizerRestore(opt: Optimizer, vars: Variable[], arrays: ArrayData[], where: string): (() => void) | string {
  // an optimizer Keras's layouts do not cover is read back in tatami's own order (as written)
  const groups = kerasSlotGroups(opt) ?? [slotMap(opt, vars).slots];
  const nSlots = groups.reduce((n, g) => n + g.length, 0) * vars.length + kerasTrailingScalars(opt).length;
  const withLr = arrays.length === nSlots + 2;
  if (!withLr && arrays.length !== nSlots + 1) {
    return `${where} holds ${arrays.length} optimizer variables; ${opt.className} over ${vars.length} weights needs ${nSlots + 2} (Keras 3) or ${nSlots + 1} (tf.keras 2)`;
  }
  if (arrays[0].values.length !== 1 || (withLr && arrays[1].values.length !== 1)) {
    throw new ModelFileError(`${where}: the optimizer's iteration and learning_rate must be scalars`);
  }
  const byName = new Map<string, Float32Array>();
  let k = withLr ? 2 : 1;
  for (const group of groups) {
    for (const v of vars) {
      for (const slot of group) {
        const a = arrays[k++];
        if (a.values.length !== v.size || a.shape.join() !== v.shape.join()) {
          // Keras's loader also only warns here and starts with a fresh optimizer
          return `${where}: optimizer variable ${k - 1} ('${slot}' of '${v.name}') has shape [${a.shape}], expected [${v.shape}]`;
        }
        byName.set(`${v.name}_${slot}`, a.values);
      }
    }
  }
  for (const scalar of kerasTrailingScalars(opt)) {
    if (arrays[k++].values.length !== 1) return `${where}: optimizer variable ${k - 1} ('${scalar.name}') must be a scalar`;
  }
  return () => {
    const { slots } = slotMap(opt, vars);
    const ordered = vars.flatMap((v) => slots.map((s) => {
      const a = byName.get(`${v.name}_${s}`);
      if (!a) throw new ModelFileError(`${where}: no '${s}' state for '${v.name}'`);
      return a;
    }));
    opt.setState(vars, Math.round(arrays[0].values[0]), ordered);
    if (withLr) {
      // the file keeps float32; keep the configured rate when it is the same number in float32
      const lr = arrays[1].values[0];
      if (Math.fround(opt.learningRate) !== lr) opt.learningRate = lr;
    }
  };
}

/** tf.keras <= 2.10 (OptimizerV2) slot names, as tatami (and Keras 3) call them. */
const V2_SLOTS: Record<string, string> = {
  m: 'momentum', v: 'velocity', vhat: 'velocity_hat', momentum: 'momentum', rms: 'velocity', mg: 'average_gradient',
  accumulator: 'accumulator', accum_grad: 'accumulated_grad', accum_var: 'accumulated_delta_var',
};

/**
 * tf.keras <= 2.10 listed optimizer weights as '<Opt>/iter:0' then '<Opt>/<layer>/<weight>/<slot>:0',
 * grouped by slot (every m, then every v). Reorders them into Keras 3's layout (without
 * learning_rate) by name; null when the names are not in that form.
 */
export function fromOptimizerV2(opt: Optimizer, vars: Variable[], names: string[], arrays: ArrayData[]): ArrayData[] | null {
  const groups = kerasSlotGroups(opt);
  if (!groups || names.length === 0 || !/\/iter:0$/.test(names[0])) return null;
  const byName = new Map<string, ArrayData>();
  for (let i = 1; i < names.length; i++) {
    const m = /^[^/]+\/(.+)\/([a-z_]+):0$/.exec(names[i]);
    if (!m || !(m[2] in V2_SLOTS)) return null;
    byName.set(`${m[1]}_${V2_SLOTS[m[2]]}`, arrays[i]);
  }
  const out = [arrays[0]];
  for (const group of groups) {
    for (const v of vars) {
      for (const slot of group) {
        const a = byName.get(`${v.name}_${slot}`);
        if (!a) return null;
        out.push(a);
      }
    }
  }
  return out;
}
