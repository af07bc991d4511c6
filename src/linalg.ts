// musique/linalg: scipy.linalg's dense solvers and decompositions, over faer.
//
// Arguments are validated and normalised here, once, into a request; the work
// runs in Rust (musique-linalg). Each function's options are checked against
// the keys it knows (KEYS: an unknown one is a TypeError ERR_UNKNOWN_OPTION
// naming the nearest known key, as SciPy raises for an unexpected keyword) and
// each value by SciPy's rule (./internal/options). A numerical failure comes
// back from the binding as an Error named 'LinAlgError' with its code set, and
// fromNative (./internal/errors) makes it a LinAlgError. Like BLAS/LAPACK, linalg uses every core by
// default: the thread count comes from threadpoolLimits ({ blas: n }) in the
// current async context and is passed to each call explicitly.
//
// Every function has a Promise form `fAsync(…, { …options, signal })` that
// runs on Musique's own pool, off the JS thread.

export { LinAlgError, type LinAlgErrorCode } from './internal/errors'
// The Promise forms take the same { signal } as fft's.
export type { AsyncOptions } from './fft'

export { type ComplexArray, type FiniteOptions, type MatrixInput, type OverwriteAOptions, type OverwriteBOptions, type PromotedOf, type RealArray, type RealDType, type RealDTypeOf } from './linalg/types'
export { type AssumeA, det, detAsync, inv, invAsync, type InvOptions, slogdet, slogdetAsync, type SlogdetResult, solve, solveAsync, type SolveOptions, solveTriangular, solveTriangularAsync, type SolveTriangularOptions } from './linalg/solve'
export { lstsq, lstsqAsync, type LstsqOptions, type LstsqResult, pinv, pinvAsync, type PinvOptions } from './linalg/lstsq'
export { norm, normAsync, type NormOptions, type NormOrd } from './linalg/norms'
export { matmul, matmulAsync } from './linalg/matmul'
export { lu, type LuAndPiv, luAsync, luFactor, luFactorAsync, type LuFactorResult, type LuIndicesResult, type LuOptions, type LuPermutedResult, type LuResult, luSolve, luSolveAsync, type LuSolveOptions } from './linalg/lu'
export { qr, qrAsync, type QrOptions, type QrPivoted, type QrResult, type QrROnly } from './linalg/qr'
export { choFactor, choFactorAsync, type ChoFactorResult, cholesky, choleskyAsync, type CholeskyOptions, choSolve, choSolveAsync } from './linalg/cholesky'
export { svd, svdAsync, type SvdOptions, type SvdResult, svdvals, svdvalsAsync } from './linalg/svd'
export { eig, eigAsync, eigh, eighAsync, type EighOptions, type EighResult, type EigResult, eigvals, eigvalsAsync, eigvalsh, eigvalshAsync } from './linalg/eig'
export { cond, condAsync, expm, expmAsync, matrixRank, matrixRankAsync } from './linalg/matfuncs'
