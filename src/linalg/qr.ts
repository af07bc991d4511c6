// musique/linalg/qr: QR decomposition.

import type { AsyncOptions } from '../fft'
import { boolOption, enumOption } from '../internal/options'
import { asMatrix, type Call, finiteOpt, make, type Opts, opts, real, run, runAsync } from './request'
import type { FiniteOptions, MatrixInput, OverwriteAOptions, RealArray, RealDType, RealDTypeOf } from './types'

/** Options of {@link qr}. */
export interface QrOptions extends FiniteOptions, OverwriteAOptions {
  /** 'full': q m×m, r m×n; 'economic': q m×k, r k×n (k = min(m, n)); 'r': r only. @default 'full' */
  mode?: 'full' | 'economic' | 'r'
  /**
   * QR with column pivoting (LAPACK geqp3's column choice): `a[:, p] = q r` with |r's diagonal|
   * non-increasing, and the column order p returned too. q and r are those of `qr(a[:, p])`.
   * @default false
   */
  pivoting?: boolean
}

/** `a = q r`. */
export interface QrResult<D extends RealDType = RealDType> {
  /** Orthogonal factor: m×m ('full') or m×k ('economic'). */
  q: RealArray<D>
  /** Upper triangular factor: m×n ('full') or k×n ('economic'). */
  r: RealArray<D>
}

/** What qr returns with mode 'r'. */
export interface QrROnly<D extends RealDType = RealDType> {
  /** Upper triangular factor, m×n. */
  r: RealArray<D>
}

/** What qr returns with `pivoting`: the column order too. */
export interface QrPivoted {
  /** Column indices, n of them: `a[:, p] = q r`. */
  p: Int32Array
}

function prepQr(a: unknown, o: Opts): Call<QrResult | QrROnly | ((QrResult | QrROnly) & QrPivoted)> {
  const mode = enumOption(o.mode, 'mode', ['full', 'economic', 'r'] as const, 'full')
  const pivoting = boolOption(o.pivoting, 'pivoting', false)
  const A = asMatrix(a, 'a', finiteOpt(o))
  return make({ op: 'qr', mode, pivoting }, [A], [A.shape as [number, number]], (outs, single) => {
    const f = mode === 'r' ? { r: real(outs[0], single) } : { q: real(outs[0], single), r: real(outs[1], single) }
    return pivoting ? { ...f, p: outs[outs.length - 1].data as Int32Array } : f
  })
}

/**
 * QR decomposition (scipy.linalg.qr): `a = q r`, q orthogonal, r upper triangular,
 * by Householder reflections (r's diagonal may be negative, as LAPACK's). With `pivoting`,
 * `a[:, p] = q r` and p is returned too.
 *
 * @example
 * ```ts
 * import { qr } from 'musique/linalg'
 * const { q, r } = qr([[1, 2], [3, 4], [5, 6]], { mode: 'economic' })
 * q.shape // [3, 2]
 * ```
 */
export function qr<A extends MatrixInput>(a: A, options?: QrOptions & { mode?: 'full' | 'economic'; pivoting?: false }): QrResult<RealDTypeOf<A>>
export function qr<A extends MatrixInput>(a: A, options: QrOptions & { mode: 'r'; pivoting?: false }): QrROnly<RealDTypeOf<A>>
export function qr<A extends MatrixInput>(a: A, options: QrOptions & { mode?: 'full' | 'economic'; pivoting: true }): QrResult<RealDTypeOf<A>> & QrPivoted
export function qr<A extends MatrixInput>(a: A, options: QrOptions & { mode: 'r'; pivoting: true }): QrROnly<RealDTypeOf<A>> & QrPivoted
export function qr<A extends MatrixInput>(a: A, options?: QrOptions): QrResult<RealDTypeOf<A>> | QrROnly<RealDTypeOf<A>> | ((QrResult<RealDTypeOf<A>> | QrROnly<RealDTypeOf<A>>) & QrPivoted)
export function qr(a: MatrixInput, options?: QrOptions): QrResult | QrROnly | ((QrResult | QrROnly) & QrPivoted) {
  return run(prepQr(a, opts(options, 'qr')), 'qr')
}


/** Promise form of {@link qr} (see {@link solveAsync}). @example `const { q, r } = await qrAsync(a)` */
export function qrAsync<A extends MatrixInput>(a: A, options?: QrOptions & AsyncOptions): Promise<QrResult<RealDTypeOf<A>> | QrROnly<RealDTypeOf<A>> | ((QrResult<RealDTypeOf<A>> | QrROnly<RealDTypeOf<A>>) & QrPivoted)> {
  return runAsync('qr', options, (o) => prepQr(a, o)) as Promise<QrResult<RealDTypeOf<A>> | QrROnly<RealDTypeOf<A>> | ((QrResult<RealDTypeOf<A>> | QrROnly<RealDTypeOf<A>>) & QrPivoted)>
}
