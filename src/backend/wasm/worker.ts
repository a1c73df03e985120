// Entry of a thread of the pool (thread_pool.ts): instantiate the kernel module on the shared memory, then serve jobs.
import { workerData } from 'node:worker_threads';
import { setWasmFlags, WA } from './kernels';
import { type WorkerInit, workerLoop } from './thread_pool';

setWasmFlags();
const init = workerData as WorkerInit;
const instance = new WA!.Instance(init.module, { env: { memory: init.memory } });
const kernels = instance.exports;
(kernels.set_tile_tmp as (p: number) => void)(init.tileTmp);
workerLoop(init, kernels);
