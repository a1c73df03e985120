import { ValueError } from '../util/errors';
import { Optimizer } from './optimizer';
import { Adadelta, Adagrad, Adam, RMSprop, SGD, type AdadeltaArgs, type AdagradArgs, type AdamArgs, type RMSpropArgs, type SGDArgs } from './rules';
import { Adamax, type AdamaxArgs } from './adamax';
import { Nadam, type NadamArgs } from './nadam';

export { Optimizer, SGD, Adam, Adagrad, RMSprop, Adadelta, Adamax, Nadam };

/** tfjs-style factories: tt.optimizers.adam({ learningRate: 0.001 }). */
export const optimizers = {
  sgd: (args: SGDArgs = {}) => new SGD(args),
  adam: (args: AdamArgs = {}) => new Adam(args),
  adagrad: (args: AdagradArgs = {}) => new Adagrad(args),
  rmsprop: (args: RMSpropArgs = {}) => new RMSprop(args),
  adadelta: (args: AdadeltaArgs = {}) => new Adadelta(args),
  adamax: (args: AdamaxArgs = {}) => new Adamax(args),
  nadam: (args: NadamArgs = {}) => new Nadam(args),
};

const BY_CLASS: Record<string, keyof typeof optimizers> = { SGD: 'sgd', Adam: 'adam', Adagrad: 'adagrad', RMSprop: 'rmsprop', Adadelta: 'adadelta',
  Adamax: 'adamax', Nadam: 'nadam' };

/** Accepts an Optimizer, a name ('adam', 'SGD'), or {className, config}. */
export function getOptimizer(id: Optimizer | string | { className: string; config?: Record<string, unknown> }): Optimizer {
  if (id instanceof Optimizer) return id;
  const name = typeof id === 'string' ? id : id.className;
  const key = (Object.keys(optimizers) as (keyof typeof optimizers)[]).find((k) => k === name.toLowerCase()) ?? BY_CLASS[name];
  if (!key) throw new ValueError(`unknown optimizer '${name}'; known: ${Object.keys(optimizers).join(', ')}`);
  const cfg = typeof id === 'string' ? {} : { ...(id.config ?? {}) };
  return (optimizers[key] as (a: object) => Optimizer)(cfg);
}
