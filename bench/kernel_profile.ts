import type { Backend, Conv2DInfo } from '../src/backend/backend';

/**
 * Time per kernel of a backend, by wrapping its methods in place (ops call them through the
 * registry's object) until stop(). Convolutions are told apart by kind: depthwise, 1x1, kxk and
 * stride, so a profile says which convolutions cost what.
 */
export function profileBackend(be: Backend): { stop(): { name: string; calls: number; ms: number }[] } {
  const table = new Map<string, { calls: number; ms: number }>();
  const target = be as unknown as Record<string, unknown>;
  const saved: [string, unknown][] = [];
  const convKind = (c: Conv2DInfo) =>
    `${c.depthwise ? 'depthwise ' : ''}${c.kH}x${c.kW}${c.strideH > 1 || c.strideW > 1 ? ` /${c.strideH}` : ''}`;
  for (const key of Object.keys(target)) {
    const f = target[key];
    if (typeof f !== 'function' || key === 'alloc' || key === 'allocUninit' || key === 'free' || key === 'allocInt32') continue;
    saved.push([key, f]);
    target[key] = (...args: unknown[]) => {
      const t0 = performance.now();
      try {
        return (f as (...a: unknown[]) => unknown)(...args);
      } finally {
        const ms = performance.now() - t0;
        let name = key;
        if (key.startsWith('conv2d')) name = `${key} ${convKind(args[3] as Conv2DInfo)}`;
        else if (key === 'unary' || key === 'binary' || key === 'unaryGrad' || key === 'reduce') name = `${key} ${args[0] as string}`;
        const e = table.get(name) ?? { calls: 0, ms: 0 };
        e.calls++;
        e.ms += ms;
        table.set(name, e);
      }
    };
  }
  return {
    stop() {
      for (const [k, f] of saved) target[k] = f;
      return [...table.entries()].map(([name, e]) => ({ name, ...e })).sort((a, b) => b.ms - a.ms);
    },
  };
}
