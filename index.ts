/**
 * Musique: SciPy's parallel numerical core for Node.js.
 *
 * `musique/fft` holds all of scipy.fft, `musique/linalg` scipy.linalg's
 * solvers and decompositions, and `musique/optimize` differential evolution,
 * local minimizers and the qmc samplers; this entry point re-exports them with the
 * shared pieces: NDArray helpers, the `workers` controls and threadpoolctl's
 * API for Musique's thread pools.
 *
 * @packageDocumentation
 */

export * from './src/fft'
export * from './src/linalg'
export * from './src/optimize'
export { ThreadpoolController, threadpoolInfo, threadpoolLimits, type ThreadpoolInfo, type ThreadpoolLimiter, type ThreadpoolLimitsSpec, type UserApi } from './src/threadpool'
export {
  complex,
  imag,
  isComplex,
  ndarray,
  real,
  type ArrayInput,
  type ComplexOf,
  type DataOf,
  type DType,
  type DTypeOf,
  type MathMatrixLike,
  type MatrixLike,
  type NDArray,
  type NDArrayLike,
  type RealOf,
  type StridedArrayLike,
  type TensorLike,
} from './src/ndarray'
export { getWorkers, resolveWorkers, withWorkers, workerPools, type WorkerPoolInfo, type Workers } from './src/workers'
export { info, type MusiqueInfo } from './src/info'
