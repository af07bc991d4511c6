// Every options object of musique/optimize is checked against its known keys
// and every value once, by SciPy's rule: an unknown key is a TypeError
// ERR_UNKNOWN_OPTION naming the nearest valid key, a wrong kind of value a
// TypeError ERR_INVALID_ARG_TYPE, a value out of range a RangeError
// ERR_OUT_OF_RANGE, one not allowed a RangeError ERR_INVALID_ARG_VALUE, and
// `null` the default. No napi conversion error (code 'NumberExpected', …)
// reaches a user. Translated from SciPy's tests where SciPy raises
// (test_optimize.py, test__differential_evolution.py, test_zeros.py,
// test_qmc.py); where SciPy silently casts or accepts nonsense (maxiter -1,
// 2.5, 'abc'), Musique refuses it.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

import test, { type ExecutionContext } from 'ava'

import {
  approxFprime,
  brentq,
  brute,
  differentialEvolution,
  differentialEvolutionAsync,
  Halton,
  LatinHypercube,
  minimize,
  type MinimizeMethod,
  minimizeScalar,
  rootScalar,
  rosen,
  Sobol,
  sphere,
  WorkerPool,
} from '../src/optimize'

const quad = (x: Float64Array) => (x[0] - 1) ** 2 + (x.length > 1 ? (x[1] + 0.5) ** 2 : 0)
const B1: [number, number][] = [[-2, 2]]

type Code = 'ERR_UNKNOWN_OPTION' | 'ERR_INVALID_ARG_TYPE' | 'ERR_OUT_OF_RANGE' | 'ERR_INVALID_ARG_VALUE' | 'ERR_NO_CONVERGENCE'

function throwsCode(t: ExecutionContext, fn: () => unknown, instanceOf: typeof TypeError | typeof RangeError | typeof Error, code: Code, message: string | RegExp): void {
  const err = t.throws(fn, { instanceOf, message }) as (Error & { code?: string }) | undefined
  t.is(err?.code, code, `code of: ${err?.message}`)
}

const unknown = (t: ExecutionContext, fn: () => unknown, message: string) => throwsCode(t, fn, TypeError, 'ERR_UNKNOWN_OPTION', message)
const typeErr = (t: ExecutionContext, fn: () => unknown, message: string | RegExp) => throwsCode(t, fn, TypeError, 'ERR_INVALID_ARG_TYPE', message)
const rangeErr = (t: ExecutionContext, fn: () => unknown, message: string | RegExp) => throwsCode(t, fn, RangeError, 'ERR_OUT_OF_RANGE', message)
const valueErr = (t: ExecutionContext, fn: () => unknown, message: string | RegExp) => throwsCode(t, fn, RangeError, 'ERR_INVALID_ARG_VALUE', message)

// ---------------------------------------------------------------- unknown keys

test('unknown top-level keys name the nearest valid key, for every options object', (t) => {
  unknown(t, () => differentialEvolution(quad, B1, { maxitr: 5 } as never), "Unknown option 'maxitr' for differentialEvolution; did you mean 'maxiter'?")
  unknown(t, () => differentialEvolution(quad, B1, { pop_size: 5 } as never), "Unknown option 'pop_size' for differentialEvolution; did you mean 'popsize'?")
  // SciPy's snake_case is folded onto the camelCase name.
  unknown(t, () => minimize(quad, [0], { method: 'BFGS', call_back: () => false } as never), "Unknown option 'call_back' for minimize; did you mean 'callback'?")
  // SciPy options Musique does not implement are unknown too.
  unknown(t, () => minimize(quad, [0], { hess: () => [[2]] } as never), "Unknown option 'hess' for minimize; expected one of 'method', 'jac', 'bounds', 'tol', 'callback', 'args', 'options'")
  unknown(t, () => minimizeScalar((x) => x * x, { brackt: [0, 1] } as never), "Unknown option 'brackt' for minimizeScalar; did you mean 'bracket'?")
  unknown(t, () => rootScalar((x) => x, { bracket: [-1, 1], xtoll: 1e-3 } as never), "Unknown option 'xtoll' for rootScalar; did you mean 'xtol'?")
  unknown(t, () => brentq((x) => x, -1, 1, { max_iter: 5 } as never), "Unknown option 'max_iter' for brentq; did you mean 'maxiter'?")
  unknown(t, () => brute(quad, B1, { ns: 5 } as never), "Unknown option 'ns' for brute; did you mean 'Ns'?")
  unknown(t, () => new Sobol(2, { scrambled: false } as never), "Unknown option 'scrambled' for Sobol; did you mean 'scramble'?")
  unknown(t, () => new Halton(2, { bits: 10 } as never), "Unknown option 'bits' for Halton; expected one of 'scramble', 'seed'")
  unknown(t, () => new LatinHypercube(2, { sed: 1 } as never), "Unknown option 'sed' for LatinHypercube; did you mean 'seed'?")
  unknown(t, () => new WorkerPool({ module: 'node:path' }, { sise: 1 } as never), "Unknown option 'sise' for WorkerPool; did you mean 'size'?")
})

test('differentialEvolutionAsync knows signal, differentialEvolution does not', async (t) => {
  unknown(t, () => differentialEvolution(quad, B1, { signal: new AbortController().signal } as never), "Unknown option 'signal' for differentialEvolution; expected one of " + "'strategy', 'maxiter', 'popsize', 'tol', 'mutation', 'recombination', 'seed', 'rng', 'maxfun', 'callback', 'disp', 'polish', 'init', 'atol', 'updating', 'workers', 'constraints', 'x0', 'integrality', 'vectorized', 'args', 'timeout'")
  const err = await t.throwsAsync(differentialEvolutionAsync(quad, B1, { signl: undefined } as never), { instanceOf: TypeError, message: "Unknown option 'signl' for differentialEvolutionAsync; did you mean 'signal'?" })
  t.is((err as Error & { code?: string }).code, 'ERR_UNKNOWN_OPTION')
  const r = await differentialEvolutionAsync(quad, B1, { seed: 1, signal: new AbortController().signal })
  t.true(Math.abs(r.x[0] - 1) < 1e-6)
})

test('minimize method options are checked per method, with the method named', (t) => {
  unknown(t, () => minimize(quad, [0], { method: 'BFGS', options: { maxitr: 5 } } as never), "Unknown option 'maxitr' for minimize (method 'BFGS'); did you mean 'maxiter'?")
  // Another method's option is unknown to this one.
  unknown(t, () => minimize(quad, [0], { method: 'Nelder-Mead', options: { hessInv0: [[1]] } }), "Unknown option 'hessInv0' for minimize (method 'Nelder-Mead'); expected one of 'maxiter', 'maxfev', 'xatol', 'fatol', 'adaptive', 'initialSimplex'")
  unknown(t, () => minimize(quad, [0], { method: 'Nelder-Mead', options: { initial_simplex: [[0], [1]] } }), "Unknown option 'initial_simplex' for minimize (method 'Nelder-Mead'); did you mean 'initialSimplex'?")
  unknown(t, () => minimize(quad, [0], { method: 'Powell', options: { xatol: 1e-3 } }), "Unknown option 'xatol' for minimize (method 'Powell'); did you mean 'xtol'?")
  unknown(t, () => minimize(quad, [0], { method: 'CG', options: { xrtol: 0 } }), "Unknown option 'xrtol' for minimize (method 'CG'); did you mean 'gtol'?")
  unknown(t, () => minimize(quad, [0], { method: 'L-BFGS-B', options: { maxfev: 10 } }), "Unknown option 'maxfev' for minimize (method 'L-BFGS-B'); did you mean 'maxfun'?")
  unknown(t, () => minimize(quad, [0], { method: 'L-BFGS-B', options: { finite_diff_rel_step: 1e-6 } }), "Unknown option 'finite_diff_rel_step' for minimize (method 'L-BFGS-B'); did you mean 'finiteDiffRelStep'?")
  // The default method is named too, and `workers` belongs to the gradient methods only (as SciPy 1.16).
  unknown(t, () => minimize(quad, [0], { options: { maxfun: 10 } }), "Unknown option 'maxfun' for minimize (method 'BFGS'); expected one of 'maxiter', 'gtol', 'norm', 'eps', 'c1', 'c2', 'xrtol', 'hessInv0', 'finiteDiffRelStep', 'workers'")
  unknown(t, () => minimize(quad, [0], { method: 'nelder-mead' as MinimizeMethod, options: { workers: 1 } }), "Unknown option 'workers' for minimize (method 'Nelder-Mead'); expected one of 'maxiter', 'maxfev', 'xatol', 'fatol', 'adaptive', 'initialSimplex'")
  unknown(t, () => minimizeScalar((x) => x * x, { method: 'bounded', bounds: [0, 1], options: { xtol: 1e-3 } }), "Unknown option 'xtol' for minimizeScalar (method 'bounded'); did you mean 'xatol'?")
  unknown(t, () => minimizeScalar((x) => x * x, { options: { xatol: 1e-3 } }), "Unknown option 'xatol' for minimizeScalar (method 'brent'); did you mean 'xtol'?")
})

test('every option each minimize method lists is accepted at its SciPy default', (t) => {
  const f = (x: Float64Array) => (x[0] - 1) ** 2 + (x[1] + 0.5) ** 2
  const defaults: Record<MinimizeMethod, Record<string, unknown>> = {
    'Nelder-Mead': { maxiter: 400, maxfev: 400, xatol: 1e-4, fatol: 1e-4, adaptive: false, initialSimplex: [[0, 0], [0.05, 0], [0, 0.05]] },
    Powell: { maxiter: 2000, maxfev: 2000, xtol: 1e-4, ftol: 1e-4, direc: [[1, 0], [0, 1]] },
    CG: { maxiter: 400, gtol: 1e-5, norm: Infinity, eps: 1.4901161193847656e-8, c1: 1e-4, c2: 0.4, finiteDiffRelStep: null, workers: 1 },
    BFGS: { maxiter: 400, gtol: 1e-5, norm: Infinity, eps: 1.4901161193847656e-8, c1: 1e-4, c2: 0.9, xrtol: 0, hessInv0: [[1, 0], [0, 1]], finiteDiffRelStep: null, workers: 1 },
    'L-BFGS-B': { maxcor: 10, ftol: 2.220446049250313e-9, gtol: 1e-5, eps: 1e-8, maxfun: 15000, maxiter: 15000, maxls: 20, finiteDiffRelStep: null, workers: 1 },
  }
  for (const [method, options] of Object.entries(defaults)) {
    const r = minimize(f, [0, 0], { method: method as MinimizeMethod, options })
    t.true(r.success, `${method}: ${r.message}`)
    t.true(Math.abs(r.x[0] - 1) < 1e-3 && Math.abs(r.x[1] + 0.5) < 1e-3, method)
    // null is SciPy's None: the default.
    const nulls = Object.fromEntries(Object.keys(options).map((k) => [k, null]))
    const n = minimize(f, [0, 0], { method: method as MinimizeMethod, options: nulls })
    t.true(n.success, `${method} with nulls: ${n.message}`)
  }
  // Method names match ignoring case, as SciPy's method.lower().
  t.true(minimize(f, [0, 0], { method: 'l-bfgs-b' as MinimizeMethod }).success)
  // '2-point' gradients take finiteDiffRelStep.
  t.true(minimize(f, [0, 0], { method: 'BFGS', jac: '2-point', options: { finiteDiffRelStep: 1e-7 } }).success)
})

// ---------------------------------------------------------------- bad values

test('minimize method options: counts are integers, tolerances numbers >= 0; strings, NaN, arrays are refused', (t) => {
  const run = (method: MinimizeMethod, options: Record<string, unknown>) => () => minimize(quad, [0, 0], { method, options })
  // SciPy casts these silently (maxiter -1 runs no iteration); here they are errors, never a napi conversion error.
  rangeErr(t, run('BFGS', { maxiter: -1 }), 'options.maxiter must be an integer >= 0; got -1')
  rangeErr(t, run('BFGS', { maxiter: 2.5 }), 'options.maxiter must be an integer >= 0; got 2.5')
  typeErr(t, run('BFGS', { maxiter: 'abc' }), "options.maxiter must be an integer >= 0; got 'abc'")
  rangeErr(t, run('Nelder-Mead', { maxiter: NaN }), 'options.maxiter must be an integer >= 0; got NaN')
  rangeErr(t, run('Nelder-Mead', { maxfev: Infinity }), 'options.maxfev must be an integer >= 0; got Infinity')
  typeErr(t, run('Powell', { maxfev: [10] }), 'options.maxfev must be an integer >= 0; got an Array of length 1')
  typeErr(t, run('L-BFGS-B', { maxfun: {} }), 'options.maxfun must be an integer >= 0; got an object (Object)')
  typeErr(t, run('L-BFGS-B', { maxiter: 10n }), 'options.maxiter must be an integer >= 0; got 10')
  // SciPy: 'maxls must be positive.'; maxcor 0 ends in 'ERROR: M <= 0'.
  rangeErr(t, run('L-BFGS-B', { maxls: 0 }), 'options.maxls must be an integer >= 1; got 0')
  rangeErr(t, run('L-BFGS-B', { maxcor: 0 }), 'options.maxcor must be an integer >= 1; got 0')
  rangeErr(t, run('L-BFGS-B', { ftol: -1 }), 'options.ftol must be a number >= 0; got -1')
  rangeErr(t, run('BFGS', { gtol: NaN }), 'options.gtol must be a number >= 0; got NaN')
  typeErr(t, run('BFGS', { gtol: '1e-5' }), "options.gtol must be a number >= 0; got '1e-5'")
  rangeErr(t, run('BFGS', { xrtol: -0.5 }), 'options.xrtol must be a number >= 0; got -0.5')
  rangeErr(t, run('Nelder-Mead', { xatol: -1 }), 'options.xatol must be a number >= 0; got -1')
  rangeErr(t, run('Nelder-Mead', { fatol: -1 }), 'options.fatol must be a number >= 0; got -1')
  rangeErr(t, run('Powell', { xtol: -1 }), 'options.xtol must be a number >= 0; got -1')
  rangeErr(t, run('CG', { eps: Infinity }), 'options.eps must be a finite number; got Infinity')
  typeErr(t, run('CG', { eps: true }), 'options.eps must be a number; got true')
  rangeErr(t, run('CG', { norm: NaN }), 'options.norm must be a number; got NaN')
  typeErr(t, run('Nelder-Mead', { adaptive: 'yes' }), "options.adaptive must be a boolean; got 'yes'")
  typeErr(t, run('Nelder-Mead', { adaptive: 1 }), 'options.adaptive must be a boolean; got 1')
  rangeErr(t, run('BFGS', { finiteDiffRelStep: NaN }), 'options.finiteDiffRelStep must be a number; got NaN')
  // Matrices must have their shape: a 2×3 simplex for 2 variables would be read as 3×2.
  rangeErr(t, run('Nelder-Mead', { initialSimplex: [[0, 0, 1], [1, 0, 0]] }), 'options.initialSimplex must be a 3×2 array; got \'shape [2, 3]\'')
  rangeErr(t, run('Powell', { direc: [[1, 0, 0], [0, 1, 0]] }), 'options.direc must be a 2×2 array; got \'shape [2, 3]\'')
  rangeErr(t, run('BFGS', { hessInv0: [[1, 0]] }), 'options.hessInv0 must be a 2×2 array; got \'shape [1, 2]\'')
  typeErr(t, () => minimize(quad, [0], { options: 5 as never }), 'options.options must be an object; got 5')
  // SciPy's ValueError raised during the run: a RangeError with a code, from the binding.
  valueErr(t, run('BFGS', { c1: 0.9, c2: 0.1 }), "'c1' and 'c2' do not satisfy'0 < c1 < c2 < 1'.")
  valueErr(t, run('BFGS', { hessInv0: [[-1, 0], [0, 1]] }), "'hess_inv0' matrix isn't positive definite.")
})

test('minimize top-level values', (t) => {
  typeErr(t, () => minimize(quad, [0], 'BFGS' as never), "options must be an object; got 'BFGS'")
  valueErr(t, () => minimize(quad, [0], { method: 'SLSQP' as never }), "method must be 'Nelder-Mead', 'Powell', 'CG', 'BFGS' or 'L-BFGS-B'; got 'SLSQP'")
  typeErr(t, () => minimize(quad, [0], { method: 3 as never }), "method must be 'Nelder-Mead', 'Powell', 'CG', 'BFGS' or 'L-BFGS-B'; got 3")
  rangeErr(t, () => minimize(quad, [0], { tol: -1 }), 'tol must be a number >= 0; got -1')
  typeErr(t, () => minimize(quad, [0], { tol: '1e-3' as never }), "tol must be a number >= 0; got '1e-3'")
  valueErr(t, () => minimize(quad, [0], { jac: 'cs' as never }), "jac must be a function, '2-point' or '3-point'; got 'cs'")
  typeErr(t, () => minimize(quad, [0], { jac: true as never }), "jac must be a function, '2-point' or '3-point'; got true")
  typeErr(t, () => minimize(quad, [0], { callback: 'log' as never }), "callback must be a function; got 'log'")
  typeErr(t, () => minimize(quad, [0], { args: 1 as never }), 'args must be an array; got 1')
  // null means the default everywhere.
  const r = minimize(quad, [0, 0], { method: null, jac: null, bounds: null, tol: null, callback: null, args: null, options: null } as never)
  t.true(r.success)
})

test('differentialEvolution values', (t) => {
  const de = (options: Record<string, unknown>) => () => differentialEvolution(quad, B1, options)
  rangeErr(t, de({ maxiter: -1 }), 'maxiter must be an integer >= 0; got -1')
  rangeErr(t, de({ maxiter: 2.5 }), 'maxiter must be an integer >= 0; got 2.5')
  typeErr(t, de({ maxiter: 'abc' }), "maxiter must be an integer >= 0; got 'abc'")
  rangeErr(t, de({ popsize: 0 }), 'popsize must be an integer >= 1; got 0')
  typeErr(t, de({ popsize: [15] }), 'popsize must be an integer >= 1; got an Array of length 1')
  rangeErr(t, de({ tol: NaN }), 'tol must be a number >= 0; got NaN')
  rangeErr(t, de({ atol: -1 }), 'atol must be a number >= 0; got -1')
  rangeErr(t, de({ recombination: 1.5 }), 'recombination must be a number >= 0 and <= 1; got 1.5')
  rangeErr(t, de({ maxfun: -1 }), 'maxfun must be an integer >= 0; got -1')
  typeErr(t, de({ disp: 1 }), 'disp must be a boolean; got 1')
  typeErr(t, de({ vectorized: 'no' }), "vectorized must be a boolean; got 'no'")
  typeErr(t, de({ callback: {} }), 'callback must be a function; got an object (Object)')
  typeErr(t, de({ args: 'a' }), "args must be an array; got 'a'")
  valueErr(t, de({ updating: 'later' }), "updating must be 'immediate' or 'deferred'; got 'later'")
  typeErr(t, de({ updating: true }), "updating must be 'immediate' or 'deferred'; got true")
  valueErr(t, de({ strategy: 'best3bin' }), /^strategy must be one of 'best1bin', .* or a function; got 'best3bin'$/)
  typeErr(t, de({ strategy: 7 }), /^strategy must be one of 'best1bin', .* or a function; got 7$/)
  valueErr(t, de({ init: 'grid' }), "init must be 'latinhypercube', 'sobol', 'halton', 'random' or an array of points; got 'grid'")
  typeErr(t, de({ integrality: 'yes' }), "integrality must be a boolean or an array of booleans; got 'yes'")
  typeErr(t, de({ integrality: [1] }), 'integrality must be a boolean or an array of booleans; got an Array of length 1')
  typeErr(t, de({ seed: 1, rng: 2 }), 'pass seed or rng, not both')
  // SciPy test__differential_evolution: test_invalid_input's init population with fewer than 5 members.
  valueErr(t, de({ init: [[0], [0.5], [1], [-1]] }), 'The population supplied needs to have shape (S, len(x)), where S > 4.')
  // integrality broadcasts from one value, as SciPy's np.broadcast_to.
  const ints = differentialEvolution(quad, [[-2, 2], [-2, 2]], { seed: 2, integrality: [true] })
  t.true(ints.x.every((v) => Number.isInteger(v)), String(ints.x))
  rangeErr(t, de({ integrality: [true, false] }), "integrality must be 1 booleans (one per bound); got an Array of length 2")
  // SciPy test__differential_evolution: test_integrality_limits.
  valueErr(t, () => differentialEvolution(quad, [[0.1, 0.9]], { integrality: [true] }), 'One of the integrality constraints does not have any possible integer values between the lower/upper bounds.')
  // null is the default (SciPy's None), including rng next to seed.
  const r = differentialEvolution(quad, B1, { seed: 3, rng: null, maxiter: null, popsize: null, tol: null, mutation: null, recombination: null, disp: null, init: null, updating: null, integrality: null, vectorized: null, constraints: null, x0: null, callback: null, maxfun: null } as never)
  t.true(Math.abs(r.x[0] - 1) < 1e-6)
  // maxfun: SciPy's default np.inf is accepted, and a limit stops the run.
  t.true(differentialEvolution(quad, B1, { seed: 3, maxfun: Infinity }).success)
  const capped = differentialEvolution(quad, B1, { seed: 3, maxfun: 40, polish: false })
  t.false(capped.success)
  t.true(capped.nfev <= 40 + 15, `nfev ${capped.nfev}`)
})

test('DE mutation: SciPy\'s U[0, 2), the same rule as the Rust engine', (t) => {
  const msg = 'The mutation constant must be a float in U[0, 2), or specified as a tuple(min, max) where min < max and min, max are in U[0, 2).'
  // SciPy test_invalid_input's mutation cases: 2 itself is out ([0, 2)), as are NaN, Infinity and negatives.
  for (const mutation of [2, 2.5, -0.1, NaN, Infinity, [0.5, 2], [-1, 1], [0.5, NaN]]) {
    rangeErr(t, () => differentialEvolution(quad, B1, { mutation: mutation as never }), msg)
  }
  typeErr(t, () => differentialEvolution(quad, B1, { mutation: '0.5' as never }), "mutation must be a number or [min, max]; got '0.5'")
  typeErr(t, () => differentialEvolution(quad, B1, { mutation: [0.5, 1, 1.5] as never }), 'mutation must be a number or [min, max]; got an Array of length 3')
  for (const mutation of [0, 1.999, [0, 1.999], [1.5, 0.5]]) {
    t.notThrows(() => differentialEvolution(quad, B1, { mutation: mutation as never, seed: 1, maxiter: 2, polish: false }), String(mutation))
  }
})

test('minimizeScalar values, with SciPy\'s ValueErrors', (t) => {
  const f = (x: number) => (x - 2) * x * (x + 2) ** 2
  valueErr(t, () => minimizeScalar(f, { method: 'newton' as never }), "method must be 'brent', 'bounded' or 'golden'; got 'newton'")
  // SciPy test_minimize_scalar_custom... test_bounded_with_bracket / test_minimize_scalar_coerce_args: bounds with brent is a ValueError.
  valueErr(t, () => minimizeScalar(f, { method: 'brent', bounds: [0, 1] }), "Use of `bounds` is incompatible with 'method=brent'.")
  valueErr(t, () => minimizeScalar(f, { method: 'bounded' }), 'The `bounds` parameter is mandatory for method `bounded`.')
  typeErr(t, () => minimizeScalar(f, { bounds: ['0', 1] as never }), "bounds must be an array of 2 numbers; got an Array of length 2")
  rangeErr(t, () => minimizeScalar(f, { bracket: [0] as never }), 'bracket must be an array of 2 or 3 numbers; got an Array of length 1')
  rangeErr(t, () => minimizeScalar(f, { options: { maxiter: -1 } }), 'options.maxiter must be an integer >= 0; got -1')
  typeErr(t, () => minimizeScalar(f, { options: { xtol: 'tight' as never } }), "options.xtol must be a number >= 0; got 'tight'")
  rangeErr(t, () => minimizeScalar(f, { tol: -1 }), 'tol must be a number >= 0; got -1')
  // SciPy's checks on the values themselves come from the run: RangeError ERR_INVALID_ARG_VALUE.
  valueErr(t, () => minimizeScalar(f, { bounds: [1, 0] }), 'The lower bound exceeds the upper bound.')
  valueErr(t, () => minimizeScalar(f, { bounds: [0, Infinity] }), 'Optimization bounds must be finite scalars.')
  valueErr(t, () => minimizeScalar(f, { bracket: [0, -3, 1] }), /^Bracketing values \(xa, xb, xc\) do not fulfill this requirement/)
  // Valid: the case-insensitive method and nulls.
  t.true(minimizeScalar(f, { method: 'Golden' as never, bracket: null, bounds: null, tol: null, options: { maxiter: null, xtol: null } } as never).success)
})

test('root finding values, with SciPy\'s ValueErrors and RuntimeError', (t) => {
  const g = (x: number) => x ** 3 - 1
  valueErr(t, () => rootScalar(g, { method: 'ridder' as never, bracket: [0, 3] }), "method must be 'brentq', 'bisect', 'newton' or 'secant'; got 'ridder'")
  // SciPy test_root_scalar: 'Unable to select a solver', 'Bracket needed', 'x0 must not be None'.
  valueErr(t, () => rootScalar(g), 'Unable to select a solver as neither bracket nor starting point provided.')
  valueErr(t, () => rootScalar(g, { method: 'bisect' }), 'Bracket needed for bisect')
  valueErr(t, () => rootScalar(g, { method: 'secant' }), 'x0 must not be None for secant')
  typeErr(t, () => rootScalar(g, { x0: '1' as never }), "x0 must be a number; got '1'")
  typeErr(t, () => rootScalar(g, { x0: 1, fprime: 3 as never }), 'fprime must be a function; got 3')
  rangeErr(t, () => rootScalar(g, { bracket: [0, 3], maxiter: 1.5 }), 'maxiter must be an integer >= 0; got 1.5')
  typeErr(t, () => rootScalar(g, { bracket: [0, 3], xtol: '1e-3' as never }), "xtol must be a number; got '1e-3'")
  // test_zeros.py: xtol too small, rtol too small (the limits depend on the method: the crate checks them).
  valueErr(t, () => rootScalar(g, { bracket: [0, 3], xtol: 0 }), 'xtol too small (0 <= 0)')
  valueErr(t, () => rootScalar(g, { bracket: [0, 3], rtol: 1e-20 }), /^rtol too small \(1e-20 < 8\.88178e-16\)$/)
  valueErr(t, () => brentq((x) => x * x + 1, 0, 2), 'f(a) and f(b) must have different signs')
  typeErr(t, () => brentq(g, '0' as never, 3), "a must be a number; got '0'")
  // SciPy's RuntimeError: an Error with code ERR_NO_CONVERGENCE.
  throwsCode(t, () => brentq(g, 0, 3, { maxiter: 1 }), Error, 'ERR_NO_CONVERGENCE', /^Failed to converge after 1 iterations, value is /)
  // Valid: SciPy's choice of newton from x0 alone, and nulls.
  t.is(rootScalar(g, { x0: 0.5 }).method, 'newton')
  t.is(rootScalar(g, { x0: 0.5, x1: 0.6 }).method, 'secant')
  t.true(rootScalar(g, { bracket: [0, 3], xtol: null, rtol: null, maxiter: null, args: null } as never).converged)
})

test("a bracket search that gives up is SciPy's RuntimeError: Error ERR_NO_CONVERGENCE", (t) => {
  // 1/x for x > 0 keeps decreasing without overflowing: the search runs out of its 1000 iterations (SciPy raises RuntimeError too).
  const err = t.throws(() => minimizeScalar((x) => (x > 0 ? 1 / x : 100 - x)), { instanceOf: Error }) as Error & { code?: string }
  t.is(err.code, 'ERR_NO_CONVERGENCE')
  t.is(err.constructor, Error)
  t.regex(err.message, /^No valid bracket was found before the iteration limit was reached/)
})

test('brute values', (t) => {
  rangeErr(t, () => brute(quad, B1, { Ns: 1 }), 'Ns must be an integer >= 2; got 1')
  typeErr(t, () => brute(quad, B1, { Ns: '5' as never }), "Ns must be an integer >= 2; got '5'")
  valueErr(t, () => brute(quad, B1, { finish: 'Powell' as never }), "finish must be 'Nelder-Mead', a function or null; got 'Powell'")
  typeErr(t, () => brute(quad, B1, { finish: 1 as never }), "finish must be 'Nelder-Mead', a function or null; got 1")
  // null is SciPy's finish=None: no refinement (not the default).
  const r = brute(quad, [[-2, 2]], { Ns: 5, finish: null })
  t.is(r.x[0], 1)
  t.is(r.nfev, 5)
})

test('qmc engines: options and arguments', (t) => {
  typeErr(t, () => new Sobol(2, { scramble: 'no' as never }), "scramble must be a boolean; got 'no'")
  rangeErr(t, () => new Sobol(2, { bits: 65 }), 'bits must be an integer >= 1 and <= 64; got 65')
  typeErr(t, () => new Sobol(2, { bits: '8' as never }), "bits must be an integer >= 1 and <= 64; got '8'")
  rangeErr(t, () => new Halton(2.5), 'd must be a positive integer below 2**32 (the dimension); got 2.5')
  typeErr(t, () => new Halton('2' as never), "d must be a positive integer below 2**32 (the dimension); got '2'")
  // 2**32 + 1 would wrap to 1 in the binding's u32.
  rangeErr(t, () => new LatinHypercube(2 ** 32 + 1), 'd must be a positive integer below 2**32 (the dimension); got 4294967297')
  rangeErr(t, () => new Halton(2, { seed: -1 }), 'seed must be a non-negative integer below 2**53; got -1')
  rangeErr(t, () => new Sobol(2).randomBase2(-1), 'm must be a non-negative integer below 2**32; got -1')
  typeErr(t, () => new Halton(2).random('3' as never), "n must be a non-negative integer; got '3'")
  // SciPy test_qmc.py TestSobol.test_raise: dimensions past MAXDIM, and too many points for `bits`.
  rangeErr(t, () => new Sobol(1112), 'Maximum supported dimensionality is 1111.')
  const few = new Sobol(2, { scramble: false, bits: 2 })
  few.random(4)
  rangeErr(t, () => few.random(1), /increasing `bits`/)
  // Valid: nulls are the defaults.
  t.deepEqual(new Sobol(2, { scramble: null, seed: null, bits: null } as never).randomBase2(1).shape, [2, 2])
})

test('WorkerPool options', async (t) => {
  const MOD = pathToFileURL(join(__dirname, 'fixtures-js', 'objectives.mjs'))
  typeErr(t, () => new WorkerPool({ module: MOD, export: 'rosen' }, 4 as never), 'options must be an object; got 4')
  rangeErr(t, () => new WorkerPool({ module: MOD, export: 'rosen' }, { size: 1, linalgThreads: 0 }), 'linalgThreads must be an integer >= 1; got 0')
  typeErr(t, () => new WorkerPool({ module: MOD, export: 'rosen' }, { size: 1, linalgThreads: '2' as never }), "linalgThreads must be an integer >= 1; got '2'")
  const pool = new WorkerPool({ module: MOD, export: 'rosen' }, { size: 1, linalgThreads: null })
  try {
    unknown(t, () => pool.mapSync(new Float64Array(2), 1, 2, { widht: 1 } as never), "Unknown option 'widht' for WorkerPool.map; did you mean 'width'?")
    rangeErr(t, () => pool.mapSync(new Float64Array(2), 1, 2, { width: 0 }), 'width must be an integer >= 1; got 0')
    t.is(pool.mapSync(Float64Array.of(1, 1), 1, 2, { width: null } as never)[0], 0)
  } finally {
    await pool.close()
  }
})

test('no napi conversion error reaches a user: hand fuzz of every scalar option', (t) => {
  const bad: unknown[] = ['abc', {}, [], [1], NaN, Infinity, -Infinity, 1e300, -1, 2.5, true, 10n, Symbol('s'), () => 1]
  const napiCodes = new Set(['NumberExpected', 'StringExpected', 'BooleanExpected', 'ObjectExpected', 'ArrayExpected', 'FunctionExpected', 'InvalidArg', 'GenericFailure', 'BigintExpected'])
  const check = (label: string, fn: () => unknown) => {
    try {
      fn()
    } catch (e) {
      const err = e as Error & { code?: string }
      t.false(napiCodes.has(err.code ?? ''), `${label}: ${err.code} ${err.message}`)
      t.true(err instanceof TypeError || err instanceof RangeError || (err as { code?: string }).code === 'ERR_NO_CONVERGENCE', `${label}: ${err.constructor.name} ${err.message}`)
      return
    }
    t.pass()
  }
  const methodOptions: Record<MinimizeMethod, string[]> = {
    'Nelder-Mead': ['maxiter', 'maxfev', 'xatol', 'fatol', 'adaptive', 'initialSimplex'],
    Powell: ['maxiter', 'maxfev', 'xtol', 'ftol', 'direc'],
    CG: ['maxiter', 'gtol', 'norm', 'eps', 'c1', 'c2', 'finiteDiffRelStep', 'workers'],
    BFGS: ['maxiter', 'gtol', 'norm', 'eps', 'c1', 'c2', 'xrtol', 'hessInv0', 'finiteDiffRelStep', 'workers'],
    'L-BFGS-B': ['maxcor', 'ftol', 'gtol', 'eps', 'maxfun', 'maxiter', 'maxls', 'finiteDiffRelStep', 'workers'],
  }
  const cheap = (x: Float64Array) => x[0] * x[0]
  for (const v of bad) {
    for (const [method, keys] of Object.entries(methodOptions)) {
      for (const k of keys) {
        check(`minimize ${method} ${k}=${String(v)}`, () => minimize(cheap, [0.5], { method: method as MinimizeMethod, options: { [k]: v, maxiter: k === 'maxiter' ? v : 5 } }))
      }
    }
    for (const k of ['method', 'jac', 'bounds', 'tol', 'callback', 'args']) check(`minimize ${k}`, () => minimize(cheap, [0.5], { [k]: v, options: { maxiter: 5 } }))
    for (const k of ['strategy', 'maxiter', 'popsize', 'tol', 'mutation', 'recombination', 'seed', 'maxfun', 'disp', 'polish', 'init', 'atol', 'updating', 'x0', 'integrality', 'vectorized', 'args']) {
      check(`DE ${k}`, () => differentialEvolution(sphere, [[-1, 1]], { [k]: v, maxiter: k === 'maxiter' ? v : 2, polish: k === 'polish' ? v : false } as never))
    }
    for (const k of ['method', 'bracket', 'bounds', 'tol', 'args']) check(`minimizeScalar ${k}`, () => minimizeScalar((x) => x * x, { [k]: v, options: { maxiter: 20 } } as never))
    for (const k of ['xtol', 'xatol', 'maxiter']) check(`minimizeScalar options.${k}`, () => minimizeScalar((x) => x * x, { method: k === 'xatol' ? 'bounded' : 'brent', bounds: k === 'xatol' ? [-1, 1] : undefined, options: { [k]: v } } as never))
    for (const k of ['method', 'bracket', 'x0', 'x1', 'xtol', 'rtol', 'maxiter', 'args']) check(`rootScalar ${k}`, () => rootScalar((x) => x - 0.25, { bracket: k === 'bracket' ? v : [0, 1], [k]: v } as never))
    check('brute Ns', () => brute(cheap, [[-1, 1]], { Ns: v as never, finish: null }))
    check('Sobol bits', () => new Sobol(2, { bits: v as never }).random(1))
    check('Sobol d', () => new Sobol(v as never).random(1))
    check('Halton random n', () => new Halton(2).random(v as never))
    check('LatinHypercube fastForward', () => new LatinHypercube(2).fastForward(v as never))
  }
  // The native test functions go through the same checks.
  check('rosen DE', () => differentialEvolution(rosen, [[-1, 1], [-1, 1]], { maxiter: 'x' as never }))
})

test('a population or workspace too large to allocate is a RangeError, not a process abort', (t) => {
  rangeErr(t, () => differentialEvolution(quad, B1, { popsize: 1e300 }), 'popsize must be an integer >= 1 and <= 134217728 for 1 parameters (at most 2**27 population values); got 1e+300')
  rangeErr(t, () => differentialEvolution(quad, [[-1, 1], [-1, 1]], { popsize: 2 ** 26 }), /^popsize must be an integer >= 1 and <= 33554432 for 2 parameters/)
  // L-BFGS-B's memory grows with the corrections it stores: a huge maxcor is the same run.
  const f = (x: Float64Array) => (x[0] - 1) ** 2 + (x[1] + 0.5) ** 2
  const small = minimize(f, [0, 0], { method: 'L-BFGS-B', options: { maxcor: 10 } })
  const huge = minimize(f, [0, 0], { method: 'L-BFGS-B', options: { maxcor: 2 ** 53 } })
  t.deepEqual(huge.x, small.x)
})

test('approxFprime epsilon, and SciPy ValueErrors of minimize from the run', (t) => {
  const f = (x: Float64Array) => x[0] ** 2 + 3 * x[1]
  rangeErr(t, () => approxFprime([1, 2], f, NaN), 'epsilon must be a number; got NaN')
  rangeErr(t, () => approxFprime([1, 2], f, Infinity), 'epsilon must be a finite number; got Infinity')
  typeErr(t, () => approxFprime([1, 2], f, '1e-8' as never), "epsilon must be a number; got '1e-8'")
  const g = approxFprime([1, 2], f, 1e-6)
  t.true(Math.abs(g[0] - 2) < 1e-5 && Math.abs(g[1] - 3) < 1e-5)
  // SciPy's ValueError for bounds with lo > hi (Bounds' own check): RangeError ERR_INVALID_ARG_VALUE from the binding.
  valueErr(t, () => minimize(quad, [0], { method: 'L-BFGS-B', bounds: [[1, 0]] }), 'An upper bound is less than the corresponding lower bound.')
})
