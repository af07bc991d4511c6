// musique/linalg/types: the public types shared by every function.

import type { ArrayInput, DTypeOf, NDArray, RealOf } from '../ndarray'

/** A real matrix (or vector) input: an NDArray (float64 or float32), nested number arrays, a Float64Array/Float32Array or a number[]. */
export type MatrixInput = ArrayInput

/** The real dtypes linalg computes in. */
export type RealDType = 'float64' | 'float32'

/** A real result: float64, or float32 when every input was float32; `D` narrows it where the input types say which. */
export type RealArray<D extends RealDType = RealDType> = NDArray<D>

/** A complex result (interleaved re/im): complex128, or complex64 from float32 input. */
export type ComplexArray<D extends 'complex128' | 'complex64' = 'complex128' | 'complex64'> = NDArray<D>

/**
 * The dtype of a result computed from one input of type `X`: float32 input stays float32; float64,
 * numbers and (nested) number arrays give float64; an input whose type does not say gives either.
 *
 * @example
 * ```ts
 * import type { RealDTypeOf } from 'musique/linalg'
 * type A = RealDTypeOf<Float32Array> // 'float32'
 * type B = RealDTypeOf<number[][]> // 'float64'
 * ```
 */
export type RealDTypeOf<X> = X extends number ? 'float64' : RealOf<DTypeOf<X>>

/**
 * The dtype of a result computed from two inputs, by NumPy's promotion: float32 only when both are
 * float32, float64 when either is float64.
 *
 * @example
 * ```ts
 * import type { PromotedOf } from 'musique/linalg'
 * type A = PromotedOf<Float32Array, number[]> // 'float64'
 * ```
 */
export type PromotedOf<A, B> = [RealDTypeOf<A>, RealDTypeOf<B>] extends ['float32', 'float32']
  ? 'float32'
  : [RealDTypeOf<A>] extends ['float64']
    ? 'float64'
    : [RealDTypeOf<B>] extends ['float64']
      ? 'float64'
      : RealDType


/** Option shared by the functions that read their input's values: SciPy's check_finite. */
export interface FiniteOptions {
  /** Throw a RangeError when an input holds NaN or ±Infinity, as SciPy's check_finite does. @default true */
  checkFinite?: boolean
}

/**
 * SciPy's `overwrite_a`: permission to overwrite `a`. Musique never writes to
 * its inputs, which that permission allows; the option is checked (a boolean)
 * and accepted so that SciPy calls port unchanged.
 */
export interface OverwriteAOptions {
  /** Allow a to be overwritten (Musique never does). @default false */
  overwriteA?: boolean
}

/** SciPy's `overwrite_b`, as {@link OverwriteAOptions}. */
export interface OverwriteBOptions {
  /** Allow b to be overwritten (Musique never does). @default false */
  overwriteB?: boolean
}
