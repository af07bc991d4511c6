// Every musique/linalg function against SciPy's (and, for slogdet, cond,
// matrixRank and matmul, numpy's) own output: the cases in
// fixtures/scipy/linalg.json, written by fixtures/scipy/generate_linalg.py
// with the versions pinned in fixtures/scipy/requirements.txt. Nothing here is
// a hard-coded result.
//
// Musique (faer) and SciPy (LAPACK) factor matrices with different blockings
// and orderings, so they agree to rounding, and rounding errors in linear
// algebra grow with the size n and the conditioning of the problem. Every
// tolerance is therefore an error bound, not a constant: K·n·eps times the
// quantity that amplifies rounding for that result (see TOLERANCES below),
// with eps the unit roundoff of the precision computed in (2^-52 for float64,
// 2^-23 for float32: float32 cases use float32 inputs and SciPy computed them
// in single precision, as Musique does).
//
// Decompositions that are not unique are compared invariantly: values where
// they are unique (singular values, eigenvalues as a multiset, |diag r|, each
// factor column up to its sign or complex phase where the spectrum is
// separated), structure otherwise (reconstruction, orthonormality, triangularity).
import test, { type ExecutionContext } from 'ava'

import type { NDArray } from 'musique'
import * as L from 'musique/linalg'

import { allcloseMismatch, isClose } from './helpers/allclose'
import { decode, type EncodedArray, type EncodedValue, type FixtureFile, loadFixtures } from './helpers/fixtures'

// ---------------------------------------------------------------- fixtures

/** Properties of a case's input, computed by the generator in float64 ("Infinity" when unbounded). */
interface Info {
  cond?: number | 'Infinity'
  condEff?: number | 'Infinity'
  norm2?: number
  norm1?: number
  gap?: number
  eigcond?: number | 'Infinity'
}

type Expected = Record<string, EncodedArray | EncodedValue | boolean | number>

interface LinalgCase {
  fn: string
  family: string
  args: Record<string, EncodedArray | string | boolean | number>
  options: Record<string, unknown>
  info?: Info
  expected?: Expected
  error?: { type: 'LinAlgError'; code: L.LinAlgErrorCode; scipy: string }
  note?: string
}

const fixtures = loadFixtures<LinalgCase>('linalg.json') as FixtureFile<LinalgCase> & { matrices: Record<string, EncodedArray> }
const VERSION = `SciPy ${fixtures.scipy} / numpy ${fixtures.numpy}`

const ALL_FUNCTIONS = [
  'solve', 'solveTriangular', 'inv', 'det', 'slogdet', 'lstsq', 'pinv', 'norm', 'matmul',
  'lu', 'luFactor', 'luSolve', 'qr', 'cholesky', 'choFactor', 'choSolve', 'svd', 'svdvals',
  'eig', 'eigvals', 'eigh', 'eigvalsh', 'expm', 'cond', 'matrixRank',
] as const

/** An input array: inline, or named in the file's shared "matrices". */
function arr(v: EncodedArray | string | boolean | number | undefined): NDArray {
  if (v === undefined || typeof v === 'boolean' || typeof v === 'number') throw new TypeError('missing fixture array')
  return decode(typeof v === 'string' ? fixtures.matrices[v] : v)
}

function num(v: unknown): number {
  if (typeof v === 'number') return v
  if (v === 'Infinity') return Infinity
  if (v === '-Infinity') return -Infinity
  if (v === 'NaN') return NaN
  throw new TypeError(`fixture value ${JSON.stringify(v)} is not a number`)
}

/** Options as Musique takes them: "Infinity" spelt as a string in JSON is the number. */
function opts(c: LinalgCase): Record<string, unknown> {
  const o: Record<string, unknown> = { ...c.options }
  if (o.ord === 'Infinity' || o.ord === '-Infinity') o.ord = num(o.ord)
  return o
}

function inputDtype(c: LinalgCase): string {
  const arrays = Object.entries(c.args).filter(([k]) => k !== 'lower' && k !== 'p').map(([, v]) => v) as (EncodedArray | string)[]
  const dtypes = arrays.map((v) => (typeof v === 'string' ? fixtures.matrices[v].dtype : v.dtype)).filter((d) => (d as string) !== 'int32')
  return dtypes.every((d) => d === 'float32') ? 'float32' : 'float64'
}

function describe(c: LinalgCase): string {
  const shapes = Object.entries(c.args)
    .filter(([k]) => k !== 'lower' && k !== 'p')
    .map(([k, v]) => {
      const e = typeof v === 'string' ? fixtures.matrices[v] : (v as EncodedArray)
      return `${k}: ${e.dtype}[${e.shape.join(', ')}]`
    })
  const o = Object.keys(c.options).length ? `, ${JSON.stringify(c.options)}` : ''
  const p = c.args.p !== undefined ? `, p ${String(c.args.p)}` : ''
  return `${c.fn}(${shapes.join(', ')}${p}${o}) [${c.family}${c.note ? `: ${c.note}` : ''}]`
}

type AnyFn = (...args: unknown[]) => unknown
const fns = L as unknown as Record<string, AnyFn>

function pOf(c: LinalgCase): L.NormOrd | undefined {
  const p = c.args.p
  return p === undefined ? undefined : p === 'Infinity' || p === '-Infinity' ? num(p) : (p as L.NormOrd)
}

/** Calls the Musique function a case names, with its inputs and options. */
function call(c: LinalgCase): unknown {
  const o = opts(c)
  const a = c.args.a
  switch (c.fn) {
    case 'solve':
    case 'solveTriangular':
    case 'lstsq':
      return fns[c.fn](arr(a), arr(c.args.b), o)
    case 'matmul':
      return L.matmul(arr(a), arr(c.args.b))
    case 'luSolve':
      return L.luSolve({ lu: arr(c.args.lu) as L.RealArray, piv: Int32Array.from(arr(c.args.piv).data) }, arr(c.args.b), o)
    case 'choSolve':
      return L.choSolve({ c: arr(c.args.c) as L.RealArray, lower: c.args.lower as boolean }, arr(c.args.b), o)
    case 'cond':
      return L.cond(arr(a), pOf(c))
    default:
      return fns[c.fn](arr(a), o)
  }
}

// ---------------------------------------------------------------- tolerances

const EPS: Record<string, number> = { float64: 2 ** -52, float32: 2 ** -23 }

// TOLERANCES. K is the safety factor on the first-order error bounds below;
// a bound holds for each implementation, so two of them differ by up to twice
// it. (The measured differences are far below: K covers other CPUs and builds.)
const K = 8
// Singular values and eigenvalues (svd, svdvals, eig, eigvals, eigh, eigvalsh)
// come from iterations whose rounding grows with the number of sweeps, not
// only with n: measured up to 3.1·n·eps·‖a‖₂ (eigh, n = 3; svd 1.2·n·eps·‖a‖₂),
// so these get 4·K.
const K_SPECTRAL = 4 * K
//   - solves, inv, luSolve, choSolve, lstsq x, pinv, det (relative), slogdet
//     (absolute on the log), LU/Cholesky factors: backward-stable algorithms,
//     forward error ≤ n·eps·κ(a)·scale, κ the 2-norm condition number of the
//     numerically non-zero part of a (condEff; so Hilbert 8 gets κ = 1.5e10,
//     i.e. ~3e-5 relative in float64).
//   - lstsq: the least-squares problem's conditioning is κ + κ²·‖r‖/‖a‖‖x‖;
//     κ² is used (a bound for both terms with these residuals).
//   - singular values, symmetric eigenvalues, the 2-, -2- and nuclear norms:
//     perfectly conditioned in absolute terms: n·eps·‖a‖₂ (Weyl).
//   - eigenvalues of a general matrix: n·eps·‖a‖₂ times each one's condition
//     number 1/|yᴴx| (the largest, eigcond).
//   - singular/eigenvectors: the above divided by the gap that separates
//     their value from the rest; vectors whose value is within 1e-8·‖a‖ of
//     another are not unique and are checked by structure only.
//   - expm: relative n·eps·max(1, ‖a‖₁) (the condition number of the
//     exponential grows with ‖a‖).
//   - elementwise norms (1, ∞, Frobenius, vector p-norms): n·eps relative,
//     n the number of terms summed; matmul: inner dimension·eps·(|a||b|).
//   - exact results: pivots, permutations, ranks, signs, error codes, and
//     zeros produced by exact arithmetic (singular cases).

function condOf(c: LinalgCase): number {
  const k = c.info?.condEff ?? (typeof c.info?.cond === 'number' ? c.info.cond : 1)
  return Math.max(1, num(k))
}

/** The largest eigenvalue condition number (Infinity when SciPy's eigenvectors are parallel). */
const eigcondOf = (c: LinalgCase): number => Math.max(1, num(c.info?.eigcond ?? 1))

function maxAbs(a: ArrayLike<number>): number {
  let m = 0
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) m = Math.max(m, Math.abs(a[i]))
  return m
}

function sizeOf(c: LinalgCase): number {
  const a = c.args.a ?? c.args.lu ?? c.args.c
  return Math.max(1, ...(arr(a as EncodedArray | string).shape as number[]))
}

// ---------------------------------------------------------------- small dense helpers (row-major)

interface Mat {
  rows: number
  cols: number
  data: ArrayLike<number>
}

const asMat = (a: NDArray): Mat => ({ rows: a.shape[0], cols: a.shape.length > 1 ? a.shape[1] : 1, data: a.data })

function mul(a: Mat, b: Mat, transA = false): Mat {
  const m = transA ? a.cols : a.rows
  const k = transA ? a.rows : a.cols
  const n = b.cols
  const out = new Float64Array(m * n)
  for (let i = 0; i < m; i++)
    for (let l = 0; l < k; l++) {
      const x = transA ? a.data[l * a.cols + i] : a.data[i * a.cols + l]
      if (x === 0) continue
      for (let j = 0; j < n; j++) out[i * n + j] += x * b.data[l * n + j]
    }
  return { rows: m, cols: n, data: out }
}

function scaleCols(a: Mat, s: ArrayLike<number>): Mat {
  const out = Float64Array.from(a.data as ArrayLike<number>)
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out[i * a.cols + j] *= j < s.length ? s[j] : 0
  return { rows: a.rows, cols: a.cols, data: out }
}

function identity(n: number): Float64Array {
  const e = new Float64Array(n * n)
  for (let i = 0; i < n; i++) e[i * n + i] = 1
  return e
}

function col(a: Mat, j: number): number[] {
  return Array.from({ length: a.rows }, (_, i) => a.data[i * a.cols + j])
}

function row(a: Mat, i: number): number[] {
  return Array.from({ length: a.cols }, (_, j) => a.data[i * a.cols + j])
}

const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i], 0)

/** Reconstruction ‖product − a‖ ≤ atol, orthonormal columns, as failures. */
function checkClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol = 0): string[] {
  const why = allcloseMismatch(actual, expected, { rtol, atol, what })
  return why === undefined ? [] : [why]
}

function orthonormalCols(what: string, q: Mat, atol: number): string[] {
  return checkClose(`${what}: QᵀQ = I`, mul(q, q, true).data, identity(q.cols), atol)
}

// ---------------------------------------------------------------- comparisons

function dtypeShape(what: string, actual: NDArray | undefined, expected: EncodedArray): string[] {
  if (actual === undefined || actual === null || typeof actual !== 'object' || !('data' in actual)) return [`${what}: not an array (${String(actual)})`]
  const f: string[] = []
  if (actual.dtype !== expected.dtype) f.push(`${what}: dtype ${actual.dtype}, expected ${expected.dtype}`)
  if (JSON.stringify(actual.shape) !== JSON.stringify(expected.shape)) f.push(`${what}: shape [${actual.shape}], expected [${expected.shape}]`)
  const count = expected.shape.reduce((p, s) => p * s, 1) * (expected.dtype.startsWith('complex') ? 2 : 1)
  if (actual.data.length !== count) f.push(`${what}: ${actual.data.length} values, expected ${count}`)
  return f
}

/** An array result against SciPy's, with an absolute tolerance (and dtype and shape). */
function compareArray(what: string, actual: NDArray, expected: EncodedArray, atol: number, rtol = 0): string[] {
  const f = dtypeShape(what, actual, expected)
  if (f.length) return f
  return checkClose(what, actual.data, decode(expected).data, atol, rtol)
}

function compareNumber(what: string, actual: unknown, expected: EncodedValue | number, atol: number, rtol = 0): string[] {
  if (typeof actual !== 'number') return [`${what}: ${String(actual)} is not a number`]
  const e = num(expected)
  return isClose(actual, e, rtol, atol) ? [] : [`${what}: ${actual}, expected ${e} (|diff| ${Math.abs(actual - e)}, atol ${atol}, rtol ${rtol})`]
}

type Checker = (c: LinalgCase, got: unknown, eps: number) => string[]

/** x-like results: solve, solveTriangular, inv, luSolve, choSolve. */
const solveLike: Checker = (c, got, eps) => {
  const e = c.expected!.value as EncodedArray
  const n = sizeOf(c)
  return compareArray('x', got as NDArray, e, K * n * eps * condOf(c) * maxAbs(decode(e).data))
}

const CHECKS: Record<string, Checker> = {
  solve: solveLike,
  solveTriangular: solveLike,
  inv: solveLike,
  luSolve: solveLike,
  choSolve: solveLike,

  det(c, got, eps) {
    const e = num(c.expected!.value)
    return compareNumber('det', got, e, 0, K * sizeOf(c) * eps * condOf(c))
  },

  slogdet(c, got, eps) {
    const r = got as L.SlogdetResult
    const f = compareNumber('sign', r.sign, c.expected!.sign as number, 0)
    return [...f, ...compareNumber('logabsdet', r.logabsdet, c.expected!.logabsdet as EncodedValue, K * sizeOf(c) * eps * condOf(c))]
  },

  lstsq(c, got, eps) {
    const r = got as L.LstsqResult
    const e = c.expected!
    const a = arr(c.args.a)
    const b = arr(c.args.b)
    const n = Math.max(1, ...a.shape)
    const s = decode(e.s as EncodedArray).data
    const rank = e.rank as number
    const kappa = rank > 0 ? s[0] / s[rank - 1] : 1
    const f: string[] = []
    if (r.rank !== rank) f.push(`rank ${r.rank}, expected ${rank}`)
    f.push(...compareArray('s', r.s, e.s as EncodedArray, K * n * eps * maxAbs(s)))
    const x = decode(e.x as EncodedArray).data
    // rank 0 (a zero or empty a): x is exactly 0
    const xScale = rank > 0 ? Math.max(maxAbs(x), maxAbs(b.data) / s[0]) : 0
    f.push(...compareArray('x', r.x, e.x as EncodedArray, K * n * eps * kappa * kappa * xScale))
    const bb = Array.from(b.data).reduce((p, v) => p + v * v, 0)
    f.push(...compareArray('residues', r.residues, e.residues as EncodedArray, K * n * eps * kappa * bb))
    return f
  },

  pinv(c, got, eps) {
    const e = c.expected!.value as EncodedArray
    return compareArray('pinv', got as NDArray, e, K * sizeOf(c) * eps * condOf(c) * maxAbs(decode(e).data))
  },

  norm(c, got, eps) {
    const a = arr(c.args.a)
    const o = opts(c)
    const svdBased = a.shape.length === 2 && (o.ord === 2 || o.ord === -2 || o.ord === 'nuc') && (o.axis === undefined || Array.isArray(o.axis))
    const terms = a.data.length || 1
    // sums of `terms` values: terms·eps relative; SVD-based: max(m, n)·eps·‖a‖₂ absolute (times k for the nuclear norm)
    const rtol = K * terms * eps
    const atol = svdBased ? K * Math.max(...a.shape) * eps * (c.info?.norm2 ?? 0) * (o.ord === 'nuc' ? Math.min(...a.shape) : 1) : 0
    const e = c.expected!.value
    if (typeof e === 'object' && e !== null) return compareArray('norm', got as NDArray, e as EncodedArray, atol, rtol)
    return compareNumber('norm', got, e as EncodedValue, atol, rtol)
  },

  matmul(c, got, eps) {
    const a = asMat(arr(c.args.a))
    const bArr = arr(c.args.b)
    const b = bArr.shape.length === 1 ? { rows: bArr.shape[0], cols: 1, data: bArr.data } : asMat(bArr)
    const aa = arr(c.args.a).shape.length === 1 ? { rows: 1, cols: a.rows, data: a.data } : a
    // |a||b|: the scale of each output's rounding error
    const abs = (m: Mat): Mat => ({ ...m, data: Array.from(m.data, Math.abs) })
    const bound = maxAbs(mul(abs(aa), abs(b)).data)
    return compareArray('a @ b', got as NDArray, c.expected!.value as EncodedArray, K * Math.max(1, aa.cols) * eps * bound)
  },

  lu(c, got, eps) {
    const e = c.expected!
    const n = sizeOf(c)
    const a = arr(c.args.a)
    const tol = (x: EncodedArray) => K * n * eps * condOf(c) * Math.max(maxAbs(decode(x).data), 1)
    const f: string[] = []
    if (e.pl !== undefined) {
      const r = got as L.LuPermutedResult
      f.push(...compareArray('pl', r.pl, e.pl as EncodedArray, tol(e.pl as EncodedArray)))
      f.push(...compareArray('u', r.u, e.u as EncodedArray, tol(e.u as EncodedArray)))
      return f
    }
    if (e.pidx !== undefined) {
      const r = got as L.LuIndicesResult
      const want = decode(e.pidx as EncodedArray).data
      if (!(r.p instanceof Int32Array)) f.push(`p: ${Object.prototype.toString.call(r.p)}, expected an Int32Array`)
      else if (r.p.length !== want.length || r.p.some((v, i) => v !== want[i])) f.push(`p [${Array.from(r.p)}], expected [${Array.from(want)}]`)
      f.push(...compareArray('l', r.l, e.l as EncodedArray, tol(e.l as EncodedArray)))
      f.push(...compareArray('u', r.u, e.u as EncodedArray, tol(e.u as EncodedArray)))
      return f
    }
    const r = got as L.LuResult
    const perm = decode(e.perm as EncodedArray).data
    // p is m×m, or 0×0 for an empty a (SciPy): perm has its columns.
    const m = perm.length
    const p = new Float64Array(m * m)
    perm.forEach((i, j) => (p[i * m + j] = 1))
    const pe: EncodedArray = { dtype: a.dtype, shape: [m, m], data: Array.from(p) }
    f.push(...compareArray('p', r.p, pe, 0)) // unique, given pivoting without near-ties (checked by the generator)
    f.push(...compareArray('l', r.l, e.l as EncodedArray, tol(e.l as EncodedArray)))
    f.push(...compareArray('u', r.u, e.u as EncodedArray, tol(e.u as EncodedArray)))
    return f
  },

  luFactor(c, got, eps) {
    const e = c.expected!
    const r = got as L.LuFactorResult
    const f = compareArray('lu', r.lu, e.lu as EncodedArray, K * sizeOf(c) * eps * condOf(c) * Math.max(1, maxAbs(decode(e.lu as EncodedArray).data)))
    const piv = decode(e.piv as EncodedArray).data
    if (!(r.piv instanceof Int32Array)) f.push(`piv: ${Object.prototype.toString.call(r.piv)}, expected an Int32Array`)
    else if (r.piv.length !== piv.length || r.piv.some((v, i) => v !== piv[i])) f.push(`piv [${Array.from(r.piv)}], expected [${Array.from(piv)}]`)
    return f
  },

  qr(c, got, eps) {
    const e = c.expected!
    const a = asMat(arr(c.args.a))
    const n = sizeOf(c)
    const norm2 = c.info?.norm2 ?? 0
    const mode = (c.options.mode as string | undefined) ?? 'full'
    const r = got as L.QrResult
    const f: string[] = []
    const er = e.r as EncodedArray
    f.push(...dtypeShape('r', r.r, er))
    if (mode !== 'r') f.push(...dtypeShape('q', r.q, e.q as EncodedArray))
    if (f.length) return f
    const R = asMat(r.r)
    const ER = asMat(decode(er))
    const k = Math.min(a.rows, a.cols)
    // r: upper triangular, zeros below the diagonal exactly
    for (let i = 0; i < R.rows; i++) for (let j = 0; j < Math.min(i, R.cols); j++) if (R.data[i * R.cols + j] !== 0) f.push(`r[${i}, ${j}] = ${R.data[i * R.cols + j]}, not 0`)
    // rows of r up to sign, where a's leading columns have full rank
    const rTol = K * n * eps * condOf(c) * Math.max(norm2, 1e-300)
    let rank = 0
    while (rank < k && Math.abs(ER.data[rank * ER.cols + rank]) > 1e-8 * Math.max(norm2, 1e-300)) rank++
    const signs: number[] = []
    for (let i = 0; i < rank; i++) {
      const sgn = Math.sign(R.data[i * R.cols + i]) * Math.sign(ER.data[i * ER.cols + i]) || 1
      signs.push(sgn)
      const why = allcloseMismatch(row(R, i).map((v) => v * sgn), row(ER, i), { rtol: 0, atol: rTol, what: `r row ${i} (up to sign)` })
      if (why) f.push(why)
    }
    if (mode === 'r') return f
    const Q = asMat(r.q)
    const EQ = asMat(decode(e.q as EncodedArray))
    for (let j = 0; j < rank; j++) {
      // q's column j follows r's row j's sign; its accuracy is r's divided by r_jj's size
      const why = allcloseMismatch(col(Q, j).map((v) => v * signs[j]), col(EQ, j), { rtol: 0, atol: (rTol / Math.abs(ER.data[j * ER.cols + j])) * 2, what: `q column ${j} (up to sign)` })
      if (why) f.push(why)
    }
    f.push(...orthonormalCols('q', Q, K * n * eps))
    f.push(...checkClose('q r = a', mul(Q, R).data, a.data, K * n * eps * Math.max(norm2, 1e-300)))
    return f
  },

  cholesky(c, got, eps) {
    const e = c.expected!.value as EncodedArray
    return compareArray('c', got as NDArray, e, K * sizeOf(c) * eps * condOf(c) * maxAbs(decode(e).data))
  },

  choFactor(c, got, eps) {
    const e = c.expected!
    const r = got as L.ChoFactorResult
    const ec = e.c as EncodedArray
    const f = dtypeShape('c', r.c, ec)
    if (r.lower !== e.lower) f.push(`lower ${r.lower}, expected ${String(e.lower)}`)
    if (f.length) return f
    // cho_factor leaves a's entries in the other triangle: compare c's own triangle only
    const n = ec.shape[0]
    const lower = e.lower as boolean
    const mask = (d: ArrayLike<number>) => Array.from(d, (v, i) => ((lower ? i % n <= Math.floor(i / n) : i % n >= Math.floor(i / n)) ? v : 0))
    const exp = mask(decode(ec).data)
    return checkClose('c (its triangle)', mask(r.c.data), exp, K * sizeOf(c) * eps * condOf(c) * maxAbs(exp))
  },

  svd(c, got, eps) {
    const e = c.expected!
    const a = asMat(arr(c.args.a))
    const n = sizeOf(c)
    const norm2 = c.info?.norm2 ?? 0
    if (e.value !== undefined) return compareArray('s', got as NDArray, e.value as EncodedArray, K_SPECTRAL * n * eps * norm2)
    const r = got as L.SvdResult
    const f = [...compareArray('s', r.s, e.s as EncodedArray, K_SPECTRAL * n * eps * norm2), ...dtypeShape('u', r.u, e.u as EncodedArray), ...dtypeShape('vh', r.vh, e.vh as EncodedArray)]
    if (f.length) return f
    const s = decode(e.s as EncodedArray).data
    const U = asMat(r.u)
    const VH = asMat(r.vh)
    const EU = asMat(decode(e.u as EncodedArray))
    const EVH = asMat(decode(e.vh as EncodedArray))
    const k = s.length
    for (let j = 0; j < k; j++) {
      // unique up to a common sign where s_j is separated from the other singular
      // values (and, for a non-square a, from the zeros of the longer side)
      let gap = Infinity
      for (let i = 0; i < k; i++) if (i !== j) gap = Math.min(gap, Math.abs(s[i] - s[j]))
      if (a.rows !== a.cols) gap = Math.min(gap, s[j])
      if (!(gap > 1e-8 * norm2)) continue
      const atol = (K_SPECTRAL * n * eps * norm2) / gap
      const u = col(U, j)
      const sgn = Math.sign(dot(u, col(EU, j))) || 1
      const why1 = allcloseMismatch(u.map((v) => v * sgn), col(EU, j), { rtol: 0, atol, what: `u column ${j} (up to sign)` })
      const why2 = allcloseMismatch(row(VH, j).map((v) => v * sgn), row(EVH, j), { rtol: 0, atol, what: `vh row ${j} (the same sign as u's column)` })
      if (why1) f.push(why1)
      if (why2) f.push(why2)
    }
    const tol = K_SPECTRAL * n * eps
    f.push(...orthonormalCols('u', U, tol))
    f.push(...checkClose('vh vhᵀ = I', mul({ rows: VH.cols, cols: VH.rows, data: transpose(VH) }, { rows: VH.cols, cols: VH.rows, data: transpose(VH) }, true).data, identity(VH.rows), tol))
    // u[:, :k] diag(s) vh[:k, :] = a
    const Uk = { rows: U.rows, cols: k, data: Array.from({ length: U.rows * k }, (_, i) => U.data[Math.floor(i / k) * U.cols + (i % k)]) }
    const VHk = { rows: k, cols: VH.cols, data: Array.from(VH.data).slice(0, k * VH.cols) }
    f.push(...checkClose('u diag(s) vh = a', mul(scaleCols(Uk, r.s.data), VHk).data, a.data, tol * Math.max(norm2, 1e-300)))
    return f
  },

  svdvals(c, got, eps) {
    return compareArray('s', got as NDArray, c.expected!.value as EncodedArray, K_SPECTRAL * sizeOf(c) * eps * (c.info?.norm2 ?? 0))
  },

  eig(c, got, eps) {
    const e = c.expected!
    const a = asMat(arr(c.args.a))
    const n = a.rows
    const r = got as L.EigResult
    const f = [...dtypeShape('w', r.w, e.w as EncodedArray), ...dtypeShape('vr', r.vr, e.vr as EncodedArray)]
    if (f.length) return f
    const norm2 = c.info?.norm2 ?? 0
    const wTol = K_SPECTRAL * Math.max(n, 1) * eps * norm2 * eigcondOf(c)
    const ew = decode(e.w as EncodedArray).data
    const match = matchEigenvalues(r.w.data, ew, wTol)
    if (typeof match === 'string') return [match]
    const EV = decode(e.vr as EncodedArray).data
    const V = r.vr.data
    for (let j = 0; j < n; j++) {
      const m = match[j] // Musique's eigenvalue m is SciPy's j
      // the residual ‖a v − λ v‖ ≤ n·eps·‖a‖ and ‖v‖ = 1
      let res = 0
      let nv = 0
      const [lr, li] = [r.w.data[2 * m], r.w.data[2 * m + 1]]
      for (let i = 0; i < n; i++) {
        let sr = 0
        let si = 0
        for (let l = 0; l < n; l++) {
          sr += a.data[i * n + l] * V[2 * (l * n + m)]
          si += a.data[i * n + l] * V[2 * (l * n + m) + 1]
        }
        const [vr, vi] = [V[2 * (i * n + m)], V[2 * (i * n + m) + 1]]
        res = Math.max(res, Math.hypot(sr - (lr * vr - li * vi), si - (lr * vi + li * vr)))
        nv += vr * vr + vi * vi
      }
      if (!(res <= K_SPECTRAL * n * eps * norm2 * 4)) f.push(`‖a v − λ v‖ for eigenvalue ${j}: ${res} > ${K_SPECTRAL * n * eps * norm2 * 4}`)
      if (Math.abs(Math.sqrt(nv) - 1) > K_SPECTRAL * n * eps) f.push(`eigenvector ${j}: norm ${Math.sqrt(nv)}, not 1`)
      // the vector, up to a complex phase, where the eigenvalue is separated
      let gap = Infinity
      for (let i = 0; i < n; i++) if (i !== j) gap = Math.min(gap, Math.hypot(ew[2 * i] - ew[2 * j], ew[2 * i + 1] - ew[2 * j + 1]))
      if (!(gap > 1e-8 * norm2)) continue
      // phase = <SciPy's v, Musique's v>, |phase| ≈ 1; compare Musique's v / phase with SciPy's
      let pr = 0
      let pi = 0
      for (let i = 0; i < n; i++) {
        const [xr, xi] = [EV[2 * (i * n + j)], EV[2 * (i * n + j) + 1]]
        const [yr, yi] = [V[2 * (i * n + m)], V[2 * (i * n + m) + 1]]
        pr += xr * yr + xi * yi
        pi += xr * yi - xi * yr
      }
      const pm = Math.hypot(pr, pi) || 1
      const rotated: number[] = []
      const expected: number[] = []
      for (let i = 0; i < n; i++) {
        const [yr, yi] = [V[2 * (i * n + m)], V[2 * (i * n + m) + 1]]
        // y · conj(phase)/|phase|
        rotated.push((yr * pr + yi * pi) / pm, (yi * pr - yr * pi) / pm)
        expected.push(EV[2 * (i * n + j)], EV[2 * (i * n + j) + 1])
      }
      const why = allcloseMismatch(rotated, expected, { rtol: 0, atol: (K_SPECTRAL * n * eps * norm2 * eigcondOf(c)) / gap, what: `eigenvector ${j} (up to phase)`, complex: true })
      if (why) f.push(why)
    }
    return f
  },

  eigvals(c, got, eps) {
    const e = c.expected!.value as EncodedArray
    const w = got as NDArray
    const f = dtypeShape('w', w, e)
    if (f.length) return f
    const n = e.shape[0]
    const tol = K_SPECTRAL * Math.max(n, 1) * eps * (c.info?.norm2 ?? maxAbs(decode(e).data)) * eigcondOf(c)
    const m = matchEigenvalues(w.data, decode(e).data, tol)
    return typeof m === 'string' ? [m] : []
  },

  eigh(c, got, eps) {
    const e = c.expected!
    const r = got as L.EighResult
    const n = sizeOf(c)
    const norm2 = c.info?.norm2 ?? 0
    const wTol = K_SPECTRAL * n * eps * norm2
    const f = [...compareArray('w', r.w, e.w as EncodedArray, wTol), ...dtypeShape('v', r.v, e.v as EncodedArray)]
    if (f.length) return f
    const w = decode(e.w as EncodedArray).data
    const V = asMat(r.v)
    const EV = asMat(decode(e.v as EncodedArray))
    const subset = c.options.subsetByIndex !== undefined
    for (let j = 0; j < w.length; j++) {
      let gap = subset ? (c.info?.gap ?? 0) : Infinity
      for (let i = 0; i < w.length; i++) if (i !== j) gap = Math.min(gap, Math.abs(w[i] - w[j]))
      if (!(gap > 1e-8 * norm2)) continue
      const v = col(V, j)
      const sgn = Math.sign(dot(v, col(EV, j))) || 1
      const why = allcloseMismatch(v.map((x) => x * sgn), col(EV, j), { rtol: 0, atol: wTol / gap, what: `v column ${j} (up to sign)` })
      if (why) f.push(why)
    }
    f.push(...orthonormalCols('v', V, K_SPECTRAL * n * eps))
    // a v = v diag(w), a being the symmetric matrix of the triangle read
    const a = asMat(arr(c.args.a))
    const lower = c.options.lower !== false
    const sym = Array.from(a.data, (_, idx) => {
      const i = Math.floor(idx / a.cols)
      const j = idx % a.cols
      const [p, q] = (lower ? i >= j : i <= j) ? [i, j] : [j, i]
      return a.data[p * a.cols + q]
    })
    f.push(...checkClose('a v = v diag(w)', mul({ rows: a.rows, cols: a.cols, data: sym }, V).data, scaleCols(V, r.w.data).data, wTol * 4))
    return f
  },

  eigvalsh(c, got, eps) {
    return compareArray('w', got as NDArray, c.expected!.value as EncodedArray, K_SPECTRAL * sizeOf(c) * eps * (c.info?.norm2 ?? 0))
  },

  expm(c, got, eps) {
    const e = c.expected!.value as EncodedArray
    return compareArray('expm', got as NDArray, e, K * sizeOf(c) * eps * Math.max(1, c.info?.norm1 ?? 1) * maxAbs(decode(e).data))
  },

  cond(c, got) {
    // computed in the input's precision: κ·eps relative (s_min, or a⁻¹, carries it)
    // (SciPy's 0 for cond(singular, -2) = s_min / s_max: s_min is exact to n·eps·s_max)
    const eps = EPS[inputDtype(c)]
    return compareNumber('cond', got, c.expected!.value as EncodedValue, K * sizeOf(c) * eps, K * sizeOf(c) * eps * condOf(c))
  },

  matrixRank(c, got) {
    return got === c.expected!.value ? [] : [`rank ${String(got)}, expected ${String(c.expected!.value)}`]
  },
}

function transpose(a: Mat): Float64Array {
  const out = new Float64Array(a.rows * a.cols)
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out[j * a.rows + i] = a.data[i * a.cols + j]
  return out
}

/**
 * Pairs each expected eigenvalue (interleaved complex) with a distinct actual
 * one within tol (greedy, nearest first; LAPACK's order is not part of the
 * contract): match[j] is the actual index for expected j, or a failure.
 */
function matchEigenvalues(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): number[] | string {
  const n = expected.length / 2
  if (actual.length !== expected.length) return `${actual.length / 2} eigenvalues, expected ${n}`
  const pairs: [number, number, number][] = []
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) pairs.push([Math.hypot(actual[2 * i] - expected[2 * j], actual[2 * i + 1] - expected[2 * j + 1]), j, i])
  pairs.sort((x, y) => x[0] - y[0])
  const match = new Array<number>(n).fill(-1)
  const used = new Set<number>()
  for (const [d, j, i] of pairs) {
    if (match[j] >= 0 || used.has(i)) continue
    if (!(d <= tol)) return `eigenvalue ${expected[2 * j]} + ${expected[2 * j + 1]}i: the nearest free one is ${actual[2 * i]} + ${actual[2 * i + 1]}i (|diff| ${d} > ${tol})`
    match[j] = i
    used.add(i)
  }
  return match
}

// ---------------------------------------------------------------- running

/** Runs one case: undefined when it matches SciPy, else why not. */
function runCase(c: LinalgCase): string | undefined {
  const what = describe(c)
  if (c.error) {
    try {
      const got = call(c)
      return `${what}: returned ${JSON.stringify(got, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array).slice(0, 8) : v))?.slice(0, 200)}, expected LinAlgError ${c.error.code} (SciPy: "${c.error.scipy}")`
    } catch (err) {
      if (!(err instanceof L.LinAlgError)) return `${what}: threw ${String(err)}, expected LinAlgError ${c.error.code} (SciPy: "${c.error.scipy}")`
      if (err.code !== c.error.code) return `${what}: LinAlgError ${err.code} ("${err.message}"), expected ${c.error.code} (SciPy: "${c.error.scipy}")`
      return undefined
    }
  }
  let got: unknown
  try {
    got = call(c)
  } catch (err) {
    return `${what} threw ${String(err)}`
  }
  const eps = EPS[inputDtype(c)]
  let f: string[]
  try {
    f = CHECKS[c.fn](c, got, eps)
  } catch (err) {
    f = [`checking the result threw ${String(err)}`]
  }
  return f.length ? `${what}: ${f.join('; ')}` : undefined
}

function report(t: ExecutionContext, total: number, failures: string[]): void {
  for (const f of failures) t.log(`failing case: ${f}`)
  t.is(failures.length, 0, `${failures.length} of ${total} cases differ from ${VERSION}; the first: ${failures[0]}`)
}

// Cases where Musique knowingly differs from SciPy, each a test.failing (it
// passes while the difference remains, and fails once Musique matches SciPy,
// so the entry can go). Keyed by describe(case).
const KNOWN_DIFFERENCES: Record<string, string> = {
  // numpy's Frobenius norm squares and sums, so [[3e200, 0], [0, 4e200]] gives
  // inf; Musique scales and gives 5e200, the right value. SciPy's output is
  // recorded as it is.
  [`norm(a: float64[2, 2]) [random: Frobenius norm of entries whose squares overflow (SciPy: numpy's sum of squares, inf)]`]: 'Musique gives the finite 5e200 where SciPy overflows to inf',
}

test('the fixtures cover every function, both precisions, errors and the option values', (t) => {
  const seen = new Set(fixtures.cases.map((c) => c.fn))
  t.deepEqual(ALL_FUNCTIONS.filter((fn) => !seen.has(fn)), [], 'functions without a fixture')
  for (const fn of ALL_FUNCTIONS) {
    const mine = fixtures.cases.filter((c) => c.fn === fn)
    t.true(mine.some((c) => inputDtype(c) === 'float32'), `${fn} with float32 input`)
    t.true(mine.some((c) => inputDtype(c) === 'float64'), `${fn} with float64 input`)
  }
  const has = (fn: string, pred: (c: LinalgCase) => boolean, what: string) => t.true(fixtures.cases.some((c) => c.fn === fn && pred(c)), `${fn}: ${what}`)
  for (const assumeA of ['gen', 'sym', 'pos']) has('solve', (c) => (c.options.assumeA ?? 'gen') === assumeA, `assumeA ${assumeA}`)
  has('solve', (c) => c.options.lower === true, 'lower')
  has('solve', (c) => c.options.transposed === true, 'transposed')
  has('solve', (c) => c.error?.code === 'ERR_SINGULAR_MATRIX', 'singular')
  has('solve', (c) => c.family === 'not-positive-definite' && c.error?.code === 'ERR_SINGULAR_MATRIX', 'not positive definite with assumeA pos: singular, as SciPy 1.17')
  has('solve', (c) => c.options.assumeA === 'pos' && c.family === 'singular' && c.error?.code === 'ERR_SINGULAR_MATRIX', 'exactly singular with assumeA pos')
  has('lu', (c) => c.options.pIndices === true, 'pIndices')
  has('lu', (c) => c.family === 'empty' && arr(c.args.a).shape[0] > 0, 'm×0')
  has('luFactor', (c) => arr(c.args.a).shape[0] !== arr(c.args.a).shape[1], 'm×n')
  for (const trans of [0, 1, 2]) has('solveTriangular', (c) => (c.options.trans ?? 0) === trans, `trans ${trans}`)
  has('solveTriangular', (c) => c.options.unitDiagonal === true, 'unitDiagonal')
  for (const mode of ['full', 'economic', 'r']) has('qr', (c) => (c.options.mode ?? 'full') === mode, `mode ${mode}`)
  for (const ord of ['fro', 'nuc', 1, -1, 2, -2, 'Infinity', '-Infinity']) has('norm', (c) => c.options.ord === ord && arr(c.args.a).shape.length === 2, `matrix ord ${ord}`)
  for (const ord of [1, 2, 3, 0, 'Infinity', '-Infinity']) has('norm', (c) => c.options.ord === ord && arr(c.args.a).shape.length === 1, `vector ord ${ord}`)
  has('norm', (c) => c.options.keepdims === true, 'keepdims')
  has('norm', (c) => typeof c.options.axis === 'number', 'one axis')
  for (const p of [undefined, 'fro', 'nuc', 1, -1, 2, -2, 'Infinity', '-Infinity']) has('cond', (c) => c.args.p === p, `p ${String(p)}`)
  has('svd', (c) => c.options.fullMatrices === false, 'fullMatrices false')
  has('svd', (c) => c.options.computeUV === false, 'computeUV false')
  has('eigh', (c) => c.options.subsetByIndex !== undefined, 'subsetByIndex')
  has('eigh', (c) => c.options.lower === false, 'lower false')
  has('lstsq', (c) => c.family === 'rank-deficient', 'rank-deficient')
  has('matrixRank', (c) => c.options.tol !== undefined, 'tol')
  for (const fn of ['cholesky', 'choFactor']) has(fn, (c) => c.error?.code === 'ERR_NOT_POSITIVE_DEFINITE', 'not positive definite')
  for (const fn of ['inv', 'solveTriangular']) has(fn, (c) => c.error?.code === 'ERR_SINGULAR_MATRIX', 'singular')
  t.deepEqual(Object.keys(KNOWN_DIFFERENCES).filter((k) => !fixtures.cases.some((c) => describe(c) === k)), [], 'known differences name fixture cases')
})

for (const fn of ALL_FUNCTIONS) {
  for (const dtype of ['float64', 'float32']) {
    const cases = fixtures.cases.filter((c) => c.fn === fn && inputDtype(c) === dtype && KNOWN_DIFFERENCES[describe(c)] === undefined)
    if (cases.length === 0) continue
    test(`${fn} (${dtype}) matches ${VERSION} (${cases.length} cases)`, (t) => {
      t.is(typeof fns[fn], 'function', `musique/linalg exports ${fn}`)
      const failures = cases.map(runCase).filter((f): f is string => f !== undefined)
      report(t, cases.length, failures)
    })
  }
}

for (const c of fixtures.cases) {
  const known = KNOWN_DIFFERENCES[describe(c)]
  if (known === undefined) continue
  test.failing(`${describe(c)} matches ${VERSION} (known difference: ${known})`, (t) => {
    const why = runCase(c)
    report(t, 1, why === undefined ? [] : [why])
  })
}

// The Promise forms run the same code off the JS thread: the same result as
// the sync form, value for value, for a sample of each function's cases.
for (const fn of ALL_FUNCTIONS) {
  test(`${fn}Async gives the same result as ${fn}`, async (t) => {
    const asyncFn = fns[`${fn}Async`] as ((...args: unknown[]) => Promise<unknown>) | undefined
    t.is(typeof asyncFn, 'function', `musique/linalg exports ${fn}Async`)
    const all = fixtures.cases.filter((c) => c.fn === fn && !c.error)
    const sample = [...new Set([...all.slice(0, 3), ...all.filter((c) => inputDtype(c) === 'float32').slice(0, 1), all[all.length - 1]])]
    const failures: string[] = []
    for (const c of sample) {
      let sync: unknown
      try {
        sync = call(c)
      } catch (err) {
        failures.push(`${describe(c)}: the sync form threw ${String(err)}`)
        continue
      }
      const o = opts(c)
      const a = arr(c.args.a ?? c.args.lu ?? c.args.c)
      let got: unknown
      switch (fn) {
        case 'solve':
        case 'solveTriangular':
        case 'lstsq':
        case 'matmul':
          got = await asyncFn!(a, arr(c.args.b), o)
          break
        case 'luSolve':
          got = await asyncFn!({ lu: a, piv: Int32Array.from(arr(c.args.piv).data) }, arr(c.args.b), o)
          break
        case 'choSolve':
          got = await asyncFn!({ c: a, lower: c.args.lower }, arr(c.args.b), o)
          break
        case 'cond':
          got = await asyncFn!(a, pOf(c))
          break
        default:
          got = await asyncFn!(a, o)
      }
      const flat = (v: unknown) => JSON.stringify(v, (_, x) => (ArrayBuffer.isView(x) ? { [x.constructor.name]: Array.from(x as Float64Array) } : x))
      if (flat(got) !== flat(sync)) failures.push(`${describe(c)}: async ${flat(got).slice(0, 200)} differs from sync ${flat(sync).slice(0, 200)}`)
    }
    report(t, sample.length, failures)
  })
}
