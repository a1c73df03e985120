import { Tensor, Variable, type DType } from '../tensor/tensor';
import { scope, keep as keepTensor, live } from '../tensor/engine';
import { gradients, isRecording } from '../autograd/tape';
import { tensor as makeTensor } from '../ops/creation';
import { ValueError } from '../util/errors';

// tfjs's engine functions over tatami's scopes and tape: tidy, dispose, keep, memory, variables
// (a registry by name, as tfjs's optimizers look variables up by name) and the gradient functions.

/** The id the next tensor will get: tensors with a smaller id existed before. */
function nextId(): number {
  const probe = Tensor.fromArray(new Uint8Array(0), [0], 'uint8');
  probe.dispose();
  return probe.id + 1;
}

/**
 * The tensors made since `mark` that the gradient of `out` will read: the recorded graph behind
 * it. tfjs keeps what backprop needs when a tidy inside a loss function ends; so does this.
 */
function graphSince(out: unknown, mark: number): Tensor[] {
  const found = new Set<Tensor>();
  const stack: Tensor[] = [];
  const roots = (v: unknown): void => {
    if (v instanceof Tensor) stack.push(v);
    else if (Array.isArray(v)) v.forEach(roots);
  };
  roots(out);
  while (stack.length) {
    const t = stack.pop()!;
    for (const input of t.node?.inputs ?? []) {
      if (input.id >= mark && !found.has(input)) {
        found.add(input);
        stack.push(input);
      }
    }
  }
  return [...found];
}

/** tf.tidy(fn) or tf.tidy(name, fn). */
export function tidy<T>(nameOrFn: string | (() => T), fn?: () => T): T {
  const f = typeof nameOrFn === 'function' ? nameOrFn : fn;
  if (typeof f !== 'function') throw new ValueError('tidy: give a function, tf.tidy(() => ...) or tf.tidy(name, () => ...)');
  const mark = nextId();
  // what a gradient of the result still needs survives into the enclosing scope
  const { out } = scope(() => {
    const r = f();
    return { out: r, graph: isRecording() ? graphSince(r, mark) : [] };
  });
  if (out instanceof Promise) throw new ValueError('Cannot return a Promise inside of tidy.');
  return out;
}

/** tf.dispose(tensor | tensors | an object or array holding tensors). */
export function dispose(container: unknown): void {
  if (container == null) return;
  if (container instanceof Tensor) container.dispose();
  else if (Array.isArray(container)) container.forEach(dispose);
  else if (typeof container === 'object' && Object.getPrototypeOf(container) === Object.prototype) Object.values(container as object).forEach(dispose);
}

export const keep = <T extends Tensor>(t: T): T => keepTensor(t);

/** tf.memory(): tensors alive (not disposed, not yet garbage-collected) and their bytes. */
export function memory() {
  return { numTensors: live.tensors, numDataBuffers: live.tensors, numBytes: live.bytes, unreliable: true,
    reasons: ['tensors left to the garbage collector are counted until it runs'] };
}

const variables = new Map<string, WeakRef<Variable>>();
let nextVariable = 0;

/** tf.variable(initialValue, trainable = true, name?, dtype?). */
export function variable(initialValue: Tensor, trainable = true, name?: string, dtype?: DType): Variable {
  const init = dtype && dtype !== initialValue.dtype ? initialValue.cast(dtype) : initialValue;
  const n = name ?? String(nextVariable++);
  const existing = variables.get(n)?.deref();
  if (existing && !existing.isDisposed) throw new ValueError(`Variable with name ${n} was already registered`);
  const v = new Variable(init, n, trainable);
  variables.set(n, new WeakRef(v));
  return v;
}

export function registeredVariable(name: string): Variable | undefined {
  const v = variables.get(name)?.deref();
  return v && !v.isDisposed ? v : undefined;
}

/** The trainable variables made by tf.variable that are still alive (minimize's default varList). */
export function trainableVariables(): Variable[] {
  return [...variables.values()].map((r) => r.deref()).filter((v): v is Variable => !!v && !v.isDisposed && v.trainable);
}

type NamedGrads = Record<string, Tensor>;

/** tf.variableGrads(f, varList?): the value of f and its gradient for each variable, by name. */
export function variableGrads(f: () => Tensor, varList?: Variable[]): { value: Tensor; grads: NamedGrads } {
  const vars = (varList ?? trainableVariables()).filter((v) => v.trainable);
  if (vars.length === 0) throw new ValueError('variableGrads() expects at least one of the input variables to be trainable, but none of the 0 variables is trainable.');
  const value = f();
  if (!(value instanceof Tensor) || value.rank !== 0) throw new ValueError('The result y returned by f() must be a scalar.');
  const gs = gradients(value, vars);
  const grads: NamedGrads = {};
  vars.forEach((v, i) => {
    if (gs[i]) grads[v.name] = gs[i]!;
  });
  return { value, grads };
}

function sources(xs: Tensor[]): Tensor[] {
  return xs.map((x) => {
    const v = x.view(x.shape.slice());
    v.requiresGrad = true;
    return v;
  });
}

/** tfjs seeds the backward pass of a non-scalar y with ones. */
function seed(dy: Tensor | undefined, y: Tensor): Tensor | undefined {
  if (dy == null) return y.size === 1 ? undefined : makeTensor(new Float32Array(y.size).fill(1), y.shape.slice());
  if (dy.shape.join() !== y.shape.join()) throw new ValueError(`The shape of dy [${dy.shape}] must match the shape of y [${y.shape}]`);
  return dy;
}

const orZeros = (g: Tensor | null, x: Tensor) => g ?? makeTensor(new Float32Array(x.size), x.shape.slice());

/** tf.grad(f)(x, dy?). */
export const grad = (f: (x: Tensor) => Tensor) => (x: Tensor, dy?: Tensor): Tensor => {
  const [s] = sources([x]);
  const y = f(s);
  return orZeros(gradients(y, [s], seed(dy, y))[0], x);
};

/** tf.grads(f)(args, dy?). */
export const grads = (f: (...xs: Tensor[]) => Tensor) => (args: Tensor[], dy?: Tensor): Tensor[] => {
  const ss = sources(args);
  const y = f(...ss);
  return gradients(y, ss, seed(dy, y)).map((g, i) => orZeros(g, args[i]));
};

/** tf.valueAndGrad(f)(x, dy?). */
export const valueAndGrad = (f: (x: Tensor) => Tensor) => (x: Tensor, dy?: Tensor): { value: Tensor; grad: Tensor } => {
  const [s] = sources([x]);
  const value = f(s);
  return { value, grad: orZeros(gradients(value, [s], seed(dy, value))[0], x) };
};

/** tf.valueAndGrads(f)(args, dy?). */
export const valueAndGrads = (f: (...xs: Tensor[]) => Tensor) => (args: Tensor[], dy?: Tensor): { value: Tensor; grads: Tensor[] } => {
  const ss = sources(args);
  const value = f(...ss);
  return { value, grads: gradients(value, ss, seed(dy, value)).map((g, i) => orZeros(g, args[i])) };
};
