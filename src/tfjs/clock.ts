import { performance } from 'node:perf_hooks';

/** tfjs's util.now(): milliseconds from a monotonic clock. */
export const now = (): number => performance.now();
