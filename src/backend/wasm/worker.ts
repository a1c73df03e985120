/**
 * Entry of a thread of the pool (thread_pool.ts, which describes the control block): instantiate
 * the kernel module on the shared memory, then serve jobs. Every way this thread can fail is
 * written into its region of the control block, where the blocked main thread reads it.
 */
import { workerData } from 'node:worker_threads';
import { JOB_FNS, setWasmFlags, WA } from './kernels';
import {
  FAULTS, Failure, SPIN, Slot, State, type WorkerInit, describeError, markDead, slotBase, workerSpinUs, writeFailure,
} from './thread_pool';

const init = workerData as WorkerInit;
const ctl = new Int32Array(init.ctl);
const o = slotBase(init.index);

// process.exit() from any code on this thread, or an uncaught error: say so before the thread ends
process.on('exit', (code) => markDead(ctl, init.index, `exited with code ${code}`));

let instance: Record<string, unknown> | null = null;
try {
  setWasmFlags();
  instance = new WA!.Instance(init.module, { env: { memory: init.memory } }).exports;
  (instance.set_tile_tmp as (p: number) => void)(init.tileTmp);
} catch (e) {
  markDead(ctl, init.index, `could not start: ${describeError(e)}`);
}
if (instance !== null && Atomics.load(ctl, o + Slot.state) === State.booting) {
  Atomics.store(ctl, o + Slot.state, State.ready);
  Atomics.notify(ctl, o + Slot.state);
  serve(instance, ctl, o);
}

/** The job loop; ctl and o arrive as locals, which the spin loop reads fastest. */
function serve(kernels: Record<string, unknown>, ctl: Int32Array, o: number): never {
  const fns = JOB_FNS.map((f) => kernels[f] as (args: number) => void);
  const spin = SPIN;
  const spinMs = workerSpinUs() / 1000;
  let last = 0;
  for (;;) {
    let g = Atomics.load(ctl, o + Slot.gen);
    // spin at least SPIN loads and spinMs after the last job, reading the clock every 256 loads
    const until = performance.now() + spinMs;
    let spins = 0;
    while (g === last) {
      if (++spins > spin && (spins & 255) === 0 && performance.now() >= until) {
        Atomics.wait(ctl, o + Slot.gen, last);
        spins = 0;
      }
      g = Atomics.load(ctl, o + Slot.gen);
    }
    last = g;
    let error = 0;
    let exitAfter = false;
    try {
      if (ctl[o + Slot.fault] !== 0) exitAfter = injectedFault(kernels);
      fns[ctl[o + Slot.fn]](ctl[o + Slot.args] >>> 0);
    } catch (e) {
      writeFailure(ctl, init.index, Failure.threw, describeError(e));
      error = Failure.threw;
    }
    ctl[o + Slot.error] = error;
    Atomics.store(ctl, o + Slot.done, g);
    Atomics.notify(ctl, o + Slot.done);
    if (exitAfter) exitSilently(5);
  }
}

/** The fault a test asked for with injectWorkerFault, once; true: end the thread after this job. */
function injectedFault(kernels: Record<string, unknown>): boolean {
  const code = ctl[o + Slot.fault];
  ctl[o + Slot.fault] = 0;
  if (code === FAULTS.throw) throw new Error('injected test fault');
  if (code === FAULTS.trap) (kernels.test_fault_trap as () => void)();
  if (code === FAULTS.exit) process.exit(3);
  if (code === FAULTS['silent-exit']) exitSilently(4);
  if (code === FAULTS.hang) for (;;);
  return code === FAULTS['exit-idle'];
}

/** Ends the thread without the exit hook: only the time limit, or the main thread's 'exit' listener, can tell. */
function exitSilently(code: number): never {
  process.removeAllListeners('exit');
  process.exit(code);
}
