// Fuzzes Musique's public API: every export of musique/fft, musique/linalg and
// musique/optimize, called with values drawn by fast-check (well-formed and
// malformed arrays, options with known and misspelled keys, values of every
// type). A call may return, or throw a TypeError/RangeError with a Node-style
// `code`, a LinAlgError, or the documented optimize error; anything else is a
// finding. A crash ends this process: the parent (`npm run fuzz`, or the test
// __test__/fuzz.spec.ts) then reads the case in flight from the case file.
//
// node --import=tsx fuzz/run.ts [--calls N] [--seed S] [--case-file PATH] [--huge true]

import { closeSync, ftruncateSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'

import fc from 'fast-check'

import * as M from '../index'

const args = new Map<string, string>()
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1])
const CALLS = Number(args.get('calls') ?? 10_000)
const SEED = Number(args.get('seed') ?? Date.now() % 2 ** 31)
const CASE_FILE = args.get('case-file')
/**
 * With `--huge true`, sizes that a machine may really be able to allocate
 * (2**31 - 1 values: 16 GiB of float64) are drawn too; without it only sizes
 * that are refused whatever the machine (2**32 values and up), so the run
 * stays within a few GiB beside other tests.
 */
const HUGE = args.get('huge') === 'true'
const ROOMY = HUGE ? [2 ** 31 - 1] : []

const ARG_CODES = new Set(['ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE', 'ERR_OUT_OF_RANGE', 'ERR_UNKNOWN_OPTION'])

/** Whether an error is one a user may be given for bad input or numerical failure. */
function allowed(err: unknown): boolean {
  if (err === OBJECTIVE_FAILED) return true
  if (err instanceof M.LinAlgError) return true
  if (err instanceof DOMException && err.name === 'AbortError') return true
  const code = (err as { code?: unknown })?.code
  if ((err instanceof TypeError || err instanceof RangeError) && typeof code === 'string' && ARG_CODES.has(code)) return true
  // scipy.optimize's RuntimeError (no bracket, no sign change…): a documented Error with a code.
  if (err instanceof Error && (code === 'ERR_NO_CONVERGENCE' || (typeof code === 'string' && code.startsWith('ERR_OPTIMIZE')))) return true
  return false
}

// ------------------------------------------------------------------ values

const smallInt = fc.integer({ min: -4, max: 40 })
const edgeNumber = fc.constantFrom(0, -0, 1, -1, 2, 0.5, 2.5, -2.5, NaN, Infinity, -Infinity, 1e-300, 1e300, ...ROOMY, 2 ** 32, -(2 ** 31), Number.MAX_SAFE_INTEGER, Number.EPSILON)
const number = fc.oneof({ weight: 3, arbitrary: smallInt }, { weight: 2, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }) }, { weight: 1, arbitrary: edgeNumber })
/** A length or count small enough that a call stays cheap (huge ones are the size checks' business). */
const size = fc.integer({ min: 0, max: 9 })
const shape = fc.array(size, { minLength: 0, maxLength: 4 })

const dtype = fc.constantFrom('float64', 'float32', 'complex128', 'complex64')
function dataFor(dt: string, n: number): Float64Array | Float32Array {
  const d = dt === 'float32' || dt === 'complex64' ? new Float32Array(n) : new Float64Array(n)
  for (let i = 0; i < n; i++) d[i] = Math.sin(i * 1.7 + 0.3) * 3
  return d
}
const wellFormed = fc.tuple(shape, dtype).map(([sh, dt]) => {
  const n = sh.reduce((a, b) => a * b, 1) * (dt.startsWith('complex') ? 2 : 1)
  return { data: dataFor(dt, n), shape: sh, dtype: dt }
})
const malformed = fc.record(
  {
    data: fc.oneof(
      fc.integer({ min: 0, max: 20 }).map((n) => new Float64Array(n)),
      fc.integer({ min: 0, max: 20 }).map((n) => new Float32Array(n)),
      fc.constant(new Int32Array(4)),
      fc.array(number, { maxLength: 6 }),
      fc.anything(),
    ),
    shape: fc.oneof(shape, fc.array(number, { maxLength: 4 }), fc.anything()),
    dtype: fc.oneof(dtype, fc.string(), fc.anything()),
    strides: fc.option(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 4 }), { nil: undefined }),
    offset: fc.option(fc.oneof(fc.integer({ min: -3, max: 30 }), fc.anything()), { nil: undefined }),
  },
  { requiredKeys: [] },
)
const nested = fc.oneof(
  fc.array(number, { maxLength: 9 }),
  fc.integer({ min: 0, max: 6 }).chain((c) => fc.array(fc.array(number, { minLength: c, maxLength: c }), { maxLength: 6 })),
  fc.array(fc.array(number, { maxLength: 4 }), { maxLength: 4 }),
)
const matrix = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })).map(([m, n]) => Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => Math.cos(i * 3.1 + j * 1.3) + (i === j ? 2 : 0))))
const vector = fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 0, maxLength: 6 })
const array = fc.oneof(
  { weight: 4, arbitrary: wellFormed },
  { weight: 3, arbitrary: matrix },
  { weight: 2, arbitrary: vector.map((v) => Float64Array.from(v)) },
  { weight: 2, arbitrary: vector.map((v) => Float32Array.from(v)) },
  { weight: 2, arbitrary: nested },
  { weight: 2, arbitrary: malformed },
  { weight: 1, arbitrary: fc.anything() },
)

/** Option names used anywhere in Musique, a few misspellings, and SciPy's snake_case. */
const KEYS = [
  'n', 's', 'axis', 'axes', 'norm', 'workers', 'overwriteX', 'overwrite_x', 'nrom', 'type', 'orthogonalize', 'signal', 'd', 'real',
  'lower', 'assumeA', 'assume_a', 'transposed', 'trans', 'unitDiagonal', 'checkFinite', 'overwriteA', 'overwriteB', 'fullMatrices', 'computeUV', 'computeUv',
  'mode', 'pivoting', 'permuteL', 'pIndices', 'rcond', 'cond', 'lapackDriver', 'ord', 'keepdims', 'right', 'left', 'eigvalsOnly', 'subsetByIndex', 'subsetByValue', 'tol', 'rtol', 'atol', 'hermitian',
  'method', 'jac', 'hess', 'bounds', 'constraints', 'options', 'maxiter', 'maxfev', 'xatol', 'fatol', 'gtol', 'ftol', 'eps', 'maxcor', 'maxls', 'adaptive', 'initialSimplex', 'disp', 'callback', 'args',
  'strategy', 'popsize', 'mutation', 'recombination', 'seed', 'polish', 'init', 'updating', 'x0', 'integrality', 'vectorized', 'bracket', 'xtol', 'maxitr', 'scramble', 'optimization', 'bits', 'strength', 'size',
]
const optionValue = fc.oneof(number, fc.boolean(), fc.constantFrom('ortho', 'forward', 'backward', 'foo', 'gen', 'pos', 'sym', 'her', 'economic', 'r', 'full', 'BFGS', 'Nelder-Mead', 'L-BFGS-B', 'Powell', 'brent', 'bounded', 'golden', 'fro', 'nuc', 'best1bin', 'latinhypercube', 'sobol', 'halton', 'random', 'deferred', 'immediate'), fc.constant(null), fc.constant(undefined), fc.array(smallInt, { maxLength: 4 }), vector, fc.anything({ maxDepth: 1 }))
const options = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), optionValue, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) },
  { weight: 1, arbitrary: fc.constant(undefined) },
)

// ------------------------------------------------------------------ calls

type Fn = (...a: unknown[]) => unknown
/** What the 'throws' objective throws: it must reach the caller as it is (SciPy propagates it). */
const OBJECTIVE_FAILED = new Error('objective failed')
const objectives: [string, Fn][] = [
  ['sumsq', (x: unknown) => Array.from(x as ArrayLike<number>).reduce((s, v) => s + v * v, 0)],
  ['nan', () => NaN],
  ['string', () => 'x'],
  ['throws', () => {
    throw OBJECTIVE_FAILED
  }],
  ['rosen', M.rosen as Fn],
]
const objective = fc.constantFrom(...objectives)
/** Options for the optimizers with their effort bounded, so no call runs long. */
const boundedOptions = options.map((o) => {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return o
  const b = { ...(o as Record<string, unknown>) }
  for (const k of ['maxiter', 'maxfev', 'popsize', 'maxcor', 'maxls']) if (k in b && typeof b[k] === 'number' && (b[k] as number) > 20) b[k] = 20
  if ('workers' in b && typeof b.workers === 'number' && b.workers !== 1) delete b.workers
  if ('options' in b && b.options !== null && typeof b.options === 'object') b.options = { ...(b.options as object), maxiter: 20 }
  b.maxiter ??= 20
  return b
})

interface Case {
  fn: string
  args: unknown[]
}

const FFT = ['fft', 'ifft', 'fft2', 'ifft2', 'fftn', 'ifftn', 'rfft', 'irfft', 'rfft2', 'irfft2', 'rfftn', 'irfftn', 'hfft', 'ihfft', 'hfft2', 'ihfft2', 'hfftn', 'ihfftn', 'dct', 'idct', 'dst', 'idst', 'dctn', 'idctn', 'dstn', 'idstn']
const LINALG = ['solve', 'solveTriangular', 'inv', 'det', 'slogdet', 'lstsq', 'pinv', 'norm', 'matmul', 'lu', 'luFactor', 'luSolve', 'qr', 'cholesky', 'choFactor', 'choSolve', 'svd', 'svdvals', 'eig', 'eigvals', 'eigh', 'eigvalsh', 'expm', 'cond', 'matrixRank']
const OPT_LOCAL = ['minimize', 'approxFprime']
const OPT_SCALAR = ['minimizeScalar', 'rootScalar', 'brentq']

const cases: fc.Arbitrary<Case> = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...FFT, ...FFT.map((f) => `${f}Async`)), array, options).map(([fn, x, o]) => ({ fn, args: [x, o] })) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('fftfreq', 'rfftfreq', 'nextFastLen', 'prevFastLen', 'fftshift', 'ifftshift', 'effectiveWorkers'), fc.oneof(number, array, shape), fc.oneof(number, fc.boolean(), options), options).map(([fn, a, b, c]) => ({ fn, args: [a, b, c] })) },
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...LINALG, ...LINALG.map((f) => `${f}Async`)), array, fc.oneof(array, options), options).map(([fn, a, b, c]) => ({ fn, args: [a, b, c] })) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...OPT_LOCAL), objective, fc.oneof(vector, array), boundedOptions).map(([fn, [, f], x0, o]) => ({ fn, args: [f, x0, o] })) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...OPT_SCALAR), objective, fc.oneof(number, options), fc.oneof(number, options), boundedOptions).map(([fn, [, f], a, b, o]) => ({ fn, args: [f, a, b, o] })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('differentialEvolution', 'differentialEvolutionAsync', 'brute'), objective, fc.oneof(fc.array(fc.tuple(number, number), { maxLength: 3 }), array), boundedOptions)
      .map(([fn, [, f], bounds, o]) => ({ fn, args: [f, bounds, o] })),
  },
  {
    weight: 2,
    // Huge dimensions and counts included: what cannot be allocated must be a RangeError naming the size.
    arbitrary: fc
      .tuple(
        fc.constantFrom('Sobol', 'Halton', 'LatinHypercube'),
        fc.oneof(smallInt, fc.constantFrom(0.5, NaN, -1, '4', null), fc.constantFrom(65536, ...ROOMY, 2 ** 32 - 1, 2 ** 32, 2 ** 53)),
        options,
        fc.constantFrom('random', 'randomBase2', 'reset', 'fastForward'),
        fc.oneof(fc.integer({ min: -2, max: 12 }), fc.constantFrom(0.5, NaN, -1, '4', null), fc.constantFrom(31, 32, 63, 64, ...ROOMY, 2 ** 32 - 1, 2 ** 32, 2 ** 53)),
      )
      .map(([fn, d, o, method, k]) => ({ fn, args: [d, o, method, k] })),
  },
)

function call(c: Case): unknown {
  const api = M as unknown as Record<string, unknown>
  if (c.fn === 'Sobol' || c.fn === 'Halton' || c.fn === 'LatinHypercube') {
    const [d, o, method, k] = c.args as [unknown, unknown, string, unknown]
    const Engine = api[c.fn] as new (...a: unknown[]) => Record<string, Fn>
    const engine = new Engine(d, o)
    // Not every engine has every method (randomBase2 is Sobol's).
    return typeof engine[method] === 'function' ? engine[method](k) : undefined
  }
  return (api[c.fn] as Fn)(...c.args)
}

function show(v: unknown, depth = 0): string {
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<number>).length})[${Array.from(v as unknown as ArrayLike<number>).slice(0, 8).join(',')}]`
  if (typeof v === 'function') return `fn ${v.name}`
  if (typeof v === 'bigint') return `${v}n`
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v)
  if (Array.isArray(v)) return depth > 3 ? '[…]' : `[${v.map((e) => show(e, depth + 1)).join(',')}]`
  if (v !== null && typeof v === 'object') return depth > 3 ? '{…}' : `{${Object.entries(v).map(([k, e]) => `${k}:${show(e, depth + 1)}`).join(',')}}`
  return typeof v === 'string' ? JSON.stringify(v) : String(v)
}

async function main(): Promise<void> {
  if (CASE_FILE) mkdirSync(dirname(CASE_FILE), { recursive: true })
  const fd = CASE_FILE ? openSync(CASE_FILE, 'w') : undefined
  const findings = new Map<string, string>()
  const counts = { returned: 0, refused: 0, findings: 0 }
  const samples = fc.sample(cases, { numRuns: CALLS, seed: SEED })
  const started = Date.now()
  for (let i = 0; i < samples.length; i++) {
    const c = samples[i]
    const text = `${c.fn}(${c.args.map((a) => show(a)).join(', ')})`
    if (fd !== undefined) {
      ftruncateSync(fd, 0)
      writeSync(fd, `${i}\t${text}\n`, 0)
    }
    try {
      const out = call(c)
      if (out instanceof Promise) await out
      counts.returned++
    } catch (err) {
      if (allowed(err)) {
        counts.refused++
        continue
      }
      counts.findings++
      const e = err as Error & { code?: unknown }
      const key = `${c.fn}: ${e?.constructor?.name} ${e?.code ?? ''} ${String(e?.message).replace(/[-\d.e]+/g, 'N').slice(0, 80)}`
      if (!findings.has(key)) findings.set(key, `${text}\n    -> ${e?.constructor?.name} code=${String(e?.code)}: ${String(e?.message).slice(0, 300)}`)
    }
  }
  if (fd !== undefined) closeSync(fd)
  const secs = ((Date.now() - started) / 1000).toFixed(1)
  console.log(`fuzz: ${samples.length} calls in ${secs} s (seed ${SEED}): ${counts.returned} returned, ${counts.refused} refused with a typed error, ${counts.findings} untyped errors`)
  for (const [key, example] of findings) console.log(`- ${key}\n    ${example}`)
  process.exitCode = findings.size === 0 ? 0 : 1
}

process.on('unhandledRejection', (err) => {
  console.log(`fuzz: unhandled rejection ${String(err)}`)
  process.exitCode = 1
})

void main()
