import type { Tensor } from '../tensor/tensor';
import * as ops from '../ops/index';
import { ValueError } from '../util/errors';
import { geluApproximate, hardSilu, mish } from './composite';

/** Activation functions by their Keras names (camelCase and snake_case both accepted). */
const table: Record<string, (x: Tensor) => Tensor> = {
  linear: ops.linear,
  relu: ops.relu,
  sigmoid: ops.sigmoid,
  tanh: ops.tanh,
  softmax: (x) => ops.softmax(x, -1),
  logSoftmax: (x) => ops.logSoftmax(x, -1),
  elu: ops.elu,
  selu: ops.selu,
  softplus: ops.softplus,
  softsign: ops.softsign,
  swish: ops.swish,
  silu: ops.swish,
  gelu: ops.gelu,
  // TensorFlow.js's name for GELU's tanh approximation; Keras has it only as gelu(x, approximate=True)
  geluNew: geluApproximate,
  leakyRelu: (x) => ops.leakyRelu(x),
  relu6: ops.relu6,
  hardSigmoid: ops.hardSigmoid,
  hardSilu,
  mish,
  exponential: ops.exponential,
};

/** Other names of the same functions (Keras 3 registers hard_swish beside hard_silu). */
const aliases: Record<string, string> = {
  hardSwish: 'hardSilu',
  geluApproximate: 'geluNew',
};

export type ActivationIdentifier = string;

/** The canonical camelCase name of an activation (configs store it; Keras files get its snake_case). */
export function normalizeActivationName(name: string | null | undefined): string {
  if (name == null) return 'linear';
  const camel = name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const canonical = aliases[camel] ?? camel;
  if (!(canonical in table)) {
    throw new ValueError(`unknown activation '${name}'; known: ${[...Object.keys(table), ...Object.keys(aliases)].join(', ')}`);
  }
  return canonical;
}

export function getActivation(name: string | null | undefined): (x: Tensor) => Tensor {
  return table[normalizeActivationName(name)];
}

/** Keras's snake_case name of an activation (for configs written to Keras files). */
export function kerasActivationName(name: string): string {
  return name.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
}
