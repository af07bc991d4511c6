/**
 * Musique: SciPy's parallel numerical core for Node.js.
 *
 * `musique/fft` holds all of scipy.fft; this entry point re-exports it with
 * the shared pieces: NDArray helpers and the `workers` controls.
 *
 * @packageDocumentation
 */

export * from './src/fft'
export { complex, imag, isComplex, ndarray, real, type ArrayInput, type DataOf, type DType, type NDArray } from './src/ndarray'
export { getWorkers, resolveWorkers, withWorkers, workerPools, type WorkerPoolInfo, type Workers } from './src/workers'
export { info, type MusiqueInfo } from './src/info'
