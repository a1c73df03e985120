// Test-only: a kernel that traps, so the tests of the thread pool (test/backend/thread_pool_faults)
// can check that a wasm trap on a worker reaches the main thread as a clear error.
export function test_fault_trap(): void {
  unreachable();
}
