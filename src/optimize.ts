// musique/optimize: scipy.optimize's differential_evolution (with workers),
// local minimizers, scalar methods, brute, and scipy.stats.qmc's samplers.
//
// The algorithms run in Rust (musique-optimize). Differential evolution is an
// ask/tell engine driven from here, so the objective can run wherever
// `workers` says — this thread, worker_threads importing it by reference, a
// map-like function, or (for Musique's own test functions) Rust's threads —
// and the Promise form awaits between generations.

import { setImmediate as turn } from 'node:timers/promises'

import { checkSignal, untilAbort, withAbort } from './internal/async'
import { abortError, callNative, checkOptions, rangeError, rangeErrorMessage, typeError, typeErrorMessage, valueError } from './internal/errors'
import { evaluator, type Evaluator, type MapLike, NATIVE, type OptimizeWorkers, rows } from './internal/evaluate'
import native = require('./internal/native')
import { boolOption, enumOption, functionOption, intOption, numberOption, oneOf } from './internal/options'
import { type ArrayInput, type NDArray, readFloat64 } from './ndarray'
import { checkSeed } from './qmc'
import { isModuleFunction, type ModuleFunction, WorkerPool } from './workerpool'

export { Halton, LatinHypercube, QMCEngine, Sobol, type QmcOptions } from './qmc'
export { WorkerPool, type MapOptions, type ModuleFunction, type WorkerPoolOptions } from './workerpool'
export type { MapLike, OptimizeWorkers }

// ================================================================ test functions

function testFunction(name: string, label: string): (x: ArrayInput) => number {
  const f = (x: ArrayInput): number => {
    // The optimizers pass a Float64Array; a caller's other arrays and views are read as everywhere else.
    const v = x instanceof Float64Array ? x : readFloat64(x, 'x', 1).data
    return callNative(() => native.optimizeTestFunction(name, v))
  }
  Object.defineProperty(f, 'name', { value: label })
  Object.defineProperty(f, NATIVE, { value: name })
  return f
}

/**
 * The Rosenbrock function (scipy.optimize.rosen): Σ 100(x[i+1] − x[i]²)² + (1 − x[i])², minimum 0 at all ones.
 * Musique's optimizers evaluate it natively in Rust, across threads with `workers`.
 *
 * @example
 * ```ts
 * import { rosen } from 'musique/optimize'
 * rosen([1, 1, 1]) // 0
 * ```
 */
export const rosen = testFunction('rosen', 'rosen')
/** Rastrigin: 10n + Σ (x² − 10 cos 2πx), minimum 0 at the origin. Native (see {@link rosen}). @example `rastrigin([0, 0]) // 0` */
export const rastrigin = testFunction('rastrigin', 'rastrigin')
/** Ackley (2-D form of SciPy's benchmarks generalised to n): minimum 0 at the origin. Native (see {@link rosen}). @example `ackley([0, 0]) // 0` */
export const ackley = testFunction('ackley', 'ackley')
/** Eggholder (2-D): minimum −959.6407 at (512, 404.2319). Native (see {@link rosen}). @example `eggholder([512, 404.2319]) // -959.64…` */
export const eggholder = testFunction('eggholder', 'eggholder')
/** Sphere: Σ x², minimum 0 at the origin. Native (see {@link rosen}). @example `sphere([1, 2]) // 5` */
export const sphere = testFunction('sphere', 'sphere')
/** Griewank: 1 + Σ x²/4000 − Π cos(x/√i), minimum 0 at the origin. Native (see {@link rosen}). @example `griewank([0, 0]) // 0` */
export const griewank = testFunction('griewank', 'griewank')
/** Styblinski–Tang: Σ (x⁴ − 16x² + 5x)/2, minimum −39.166…·n at x ≈ −2.9035. Native (see {@link rosen}). @example `styblinskiTang([-2.903534, -2.903534]) // -78.33…` */
export const styblinskiTang = testFunction('styblinski_tang', 'styblinskiTang')

// ================================================================ bounds and constraints

/**
 * Bounds on variables (scipy.optimize.Bounds): lb ≤ x ≤ ub, scalars broadcast.
 * Accepted wherever `bounds` are, and as a constraint of differentialEvolution.
 *
 * @example
 * ```ts
 * import { Bounds, differentialEvolution, sphere } from 'musique/optimize'
 * differentialEvolution(sphere, new Bounds([-1, -1], [1, 1]), { seed: 0 }).x // ≈ [0, 0]
 * ```
 */
export class Bounds {
  /** Lower bounds, one per variable or one number for all. @default -Infinity */
  readonly lb: number | ArrayInput
  /** Upper bounds, one per variable or one number for all. @default Infinity */
  readonly ub: number | ArrayInput
  constructor(lb: number | ArrayInput = -Infinity, ub: number | ArrayInput = Infinity) {
    this.lb = lb
    this.ub = ub
  }
}

/**
 * lb ≤ fun(x) ≤ ub (scipy.optimize.NonlinearConstraint). `fun` returns a number or an array.
 * differentialEvolution evaluates it before the objective, in parallel like the objective
 * (SciPy evaluates constraints serially): through a map-like `workers` when `fun` is a function,
 * or on the solve's worker_threads when `fun` is a `{ module, export }` reference (with an integer
 * `workers` or a {@link WorkerPool}). A function with any other `workers` runs on the calling thread.
 *
 * @throws TypeError when fun is neither a function nor a `{ module, export }` reference.
 * @example
 * ```ts
 * import { NonlinearConstraint, differentialEvolution } from 'musique/optimize'
 * const inCircle = new NonlinearConstraint((x) => x[0] ** 2 + x[1] ** 2, -Infinity, 1)
 * differentialEvolution((x) => -x[0] - x[1], [[-2, 2], [-2, 2]], { constraints: inCircle, seed: 1 }).x // ≈ [0.707, 0.707]
 * ```
 */
export class NonlinearConstraint {
  constructor(
    /** The constraint function of x (one value, or one per component), or a `{ module, export }` reference to one. */
    readonly fun: ((x: Float64Array) => number | ArrayLike<number>) | ModuleFunction,
    /** Lower bound on fun(x), per component or one number for all (-Infinity for none). */
    readonly lb: number | ArrayInput,
    /** Upper bound on fun(x), per component or one number for all (Infinity for none). */
    readonly ub: number | ArrayInput,
  ) {
    if (typeof fun !== 'function' && !isModuleFunction(fun)) throw typeError('fun', 'a function (x) => number | number[] or a { module, export } reference', fun)
  }
}

/**
 * lb ≤ A x ≤ ub (scipy.optimize.LinearConstraint); A is m×n (nested arrays or an NDArray).
 * Evaluated inside the Rust engine.
 *
 * @example
 * ```ts
 * import { LinearConstraint, differentialEvolution } from 'musique/optimize'
 * const sumAtMostOne = new LinearConstraint([[1, 1]], -Infinity, 1)
 * differentialEvolution((x) => -x[0] - 2 * x[1], [[0, 1], [0, 1]], { constraints: sumAtMostOne, seed: 1 }).x // ≈ [0, 1]
 * ```
 */
export class LinearConstraint {
  constructor(
    /** The m×n constraint matrix (nested rows, one row as a flat array, or any 2-D array input, views included). */
    readonly A: ArrayInput,
    /** Lower bound on A x, per row or one number for all. @default -Infinity */
    readonly lb: number | ArrayInput = -Infinity,
    /** Upper bound on A x, per row or one number for all. @default Infinity */
    readonly ub: number | ArrayInput = Infinity,
  ) {}
}

/** Bounds as [[lo, hi], …], an n×2 array (any array input), or a {@link Bounds}. */
export type BoundsInput = [number, number][] | Bounds | ArrayInput

function flatBounds(bounds: unknown, name = 'bounds'): Float64Array {
  if (bounds instanceof Bounds) {
    const sized = typeof bounds.lb !== 'number' ? 'lb' : typeof bounds.ub !== 'number' ? 'ub' : undefined
    if (sized === undefined) throw rangeError(name, 'a Bounds with array lb or ub (the dimension must be known)', bounds)
    const n = readFloat64(bounds[sized], `${name}.${sized}`, 1).data.length
    const lb = broadcast(bounds.lb, n, `${name}.lb`)
    const ub = broadcast(bounds.ub, n, `${name}.ub`)
    const out = new Float64Array(2 * n)
    for (let i = 0; i < n; i++) {
      out[2 * i] = lb[i]
      out[2 * i + 1] = ub[i]
    }
    return out
  }
  // An n×2 array other than nested pairs: an NDArray, a view, another library's matrix.
  if (!Array.isArray(bounds) && typeof bounds === 'object' && bounds !== null) {
    const { data, shape } = readFloat64(bounds, name, 2)
    if (shape[0] === 0 || shape[1] !== 2) throw rangeError(name, 'an n×2 array of [lo, hi] pairs', `shape [${shape.join(', ')}]`)
    return data
  }
  if (!Array.isArray(bounds) || bounds.length === 0) throw typeError(name, 'an array of [lo, hi] pairs or a Bounds', bounds)
  const out = new Float64Array(2 * bounds.length)
  bounds.forEach((p, i) => {
    if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number') {
      throw typeError(`${name}[${i}]`, 'a [lo, hi] pair of numbers', p)
    }
    out[2 * i] = p[0]
    out[2 * i + 1] = p[1]
  })
  return out
}

function broadcast(v: unknown, n: number, name: string): Float64Array {
  if (typeof v === 'number') return new Float64Array(n).fill(v)
  const { data } = readFloat64(v, name, 1)
  if (data.length !== n) throw rangeError(name, `a number or ${n} numbers`, v)
  return data
}

// ================================================================ results

/** The result of a minimizer, as scipy.optimize.OptimizeResult. */
export interface OptimizeResult {
  /** The solution: the best point found. */
  x: Float64Array
  /** The objective's value at x. */
  fun: number
  /** Gradient at x, when computed (DE: when polishing improved the result). */
  jac?: Float64Array
  /** Objective evaluations as SciPy counts them (finite-difference gradient points and DE's polish included). */
  nfev: number
  /** Gradient evaluations (a finite-difference gradient counts once); 0 for Nelder-Mead and Powell, absent for differential evolution. */
  njev?: number
  /** Iterations (generations for differential evolution). */
  nit: number
  /** Whether the optimizer exited successfully (converged); false with the reason in `message` otherwise. */
  success: boolean
  /** Termination code: 0 on success, otherwise method-specific as SciPy's (99 when `callback` stopped minimize). Differential evolution, for which SciPy sets none: 0 converged, 2 maxiter reached, 3 stopped by callback, 4 the best point violates the constraints. */
  status?: number
  /** Description of the cause of termination, as SciPy's. */
  message: string
  /** Inverse Hessian estimate, n×n (BFGS, L-BFGS-B). */
  hessInv?: NDArray<'float64'>
  /** Final simplex (Nelder-Mead): points (n+1)×n and their values. */
  finalSimplex?: {
    /** The n+1 vertices, (n+1)×n. */
    points: NDArray<'float64'>
    /** The objective at each vertex. */
    values: Float64Array
  }
  /** Final direction set, n×n (Powell). */
  direc?: NDArray<'float64'>
}

/** differentialEvolution's result: an OptimizeResult with the population and, with constraints, their state. */
export interface DifferentialEvolutionResult extends OptimizeResult {
  /** The final population, S×N (best first). */
  population: NDArray<'float64'>
  /** The objective's value at each population member, in the same order (SciPy's `population_energies`). */
  populationEnergies: Float64Array
  /** Violation of each constraint's components at x (constraints only). */
  constr?: Float64Array[]
  /** Largest violation at x (constraints only); `maxcv` is the same value. */
  constrViolation?: number
  /** Same value as `constrViolation` (SciPy's `maxcv`); constraints only. */
  maxcv?: number
}

/** What `callback` receives each generation/iteration: SciPy's `intermediate_result`. */
export interface IntermediateResult {
  /** The current point (differential evolution: the best member). */
  x: Float64Array
  /** The objective's value at x. */
  fun: number
  /** Iterations (generations for differential evolution) completed so far. */
  nit: number
  /** Differential evolution only: the population's spread (SciPy's `convergence`). */
  convergence?: number
  /** Differential evolution only: the current population, S×N (best first). */
  population?: NDArray<'float64'>
  /** Differential evolution only: the objective's value at each population member. */
  populationEnergies?: Float64Array
}

function mat(flat: Float64Array, cols: number): NDArray<'float64'> {
  return { data: flat, shape: [cols === 0 ? 0 : flat.length / cols, cols], dtype: 'float64' }
}

type DeResultNative = ReturnType<InstanceType<typeof native.DeSolver>['outcome']>

function deResult(r: DeResultNative, dim: number): DifferentialEvolutionResult {
  const out: DifferentialEvolutionResult = {
    x: r.x,
    fun: r.fun,
    nfev: r.nfev,
    nit: r.nit,
    success: r.success,
    status: r.status,
    message: r.message,
    population: mat(r.population, dim),
    populationEnergies: r.populationEnergies,
  }
  if (r.jac) out.jac = r.jac
  if (r.constr && r.constrLengths) {
    let k = 0
    out.constr = r.constrLengths.map((n) => r.constr!.slice(k, (k += n)))
    out.constrViolation = r.constrViolation ?? 0
    out.maxcv = r.constrViolation ?? 0
  }
  return out
}

// ================================================================ differential evolution

/** SciPy's twelve strategy names. */
export type StrategyName =
  | 'best1bin'
  | 'best1exp'
  | 'rand1bin'
  | 'rand1exp'
  | 'rand2bin'
  | 'rand2exp'
  | 'randtobest1bin'
  | 'randtobest1exp'
  | 'currenttobest1bin'
  | 'currenttobest1exp'
  | 'best2bin'
  | 'best2exp'

/**
 * A user strategy, as SciPy's callable `strategy(candidate, population, rng)`:
 * returns the trial vector (parameter space) for population member `candidate`.
 * `rng()` draws uniforms in [0, 1) from the solver's seeded stream.
 */
export type StrategyFunction = (candidate: number, population: NDArray<'float64'>, rng: () => number) => ArrayLike<number>

/** A polishing function: gets the objective (as a batch-free `(x) => number`), the best x and the bounds. */
export type PolishFunction = (func: (x: Float64Array) => number, x0: Float64Array, options: { bounds: [number, number][] }) => Pick<OptimizeResult, 'x' | 'fun'> & Partial<OptimizeResult>

/** Options of {@link differentialEvolution}: every option of scipy.optimize.differential_evolution, camelCase, same defaults. */
export interface DifferentialEvolutionOptions {
  /** @default 'best1bin' */
  strategy?: StrategyName | StrategyFunction
  /** Generations. @default 1000 */
  maxiter?: number
  /** Most objective evaluations; the run stops once they are spent. @default Infinity (no limit) */
  maxfun?: number
  /** Population = popsize × N (ignored with an init array). @default 15 */
  popsize?: number
  /** Relative convergence tolerance: stop when std(E) ≤ atol + tol·|mean(E)|. @default 0.01 */
  tol?: number
  /** @default 0 */
  atol?: number
  /** Differential weight, or [min, max] for dithering each generation. @default [0.5, 1] */
  mutation?: number | [number, number]
  /** Crossover probability. @default 0.7 */
  recombination?: number
  /** Seed (integer) for a reproducible run; random when omitted. SciPy's `rng`/`seed`. */
  seed?: number
  /** Alias of `seed`. */
  rng?: number
  /**
   * Called each generation with the intermediate result; return `true` (or throw, as SciPy's StopIteration) to stop.
   * Only `true` stops, not any truthy value: an arrow function such as `(r) => log.push(r)` returns a number. Polishing still runs.
   */
  callback?: (intermediate: IntermediateResult) => unknown
  /** Print each generation's best value. @default false */
  disp?: boolean
  /**
   * Polish the best member (true): L-BFGS-B within the bounds, or with `constraints` a constrained local
   * method (augmented Lagrangian over L-BFGS-B subproblems, ending inside the feasible set; SciPy uses
   * trust-constr); skip it (false); or a function. The polished point is kept when it is lower, successful,
   * within the bounds and no more infeasible, as SciPy. @default true
   */
  polish?: boolean | PolishFunction
  /** A sampling scheme, or the initial population as an S×N array (one point per row; any array input, views included). @default 'latinhypercube' */
  init?: 'latinhypercube' | 'sobol' | 'halton' | 'random' | ArrayInput
  /** 'immediate' updates the best after each trial; 'deferred' once per generation (forced when workers ≠ 1 or vectorized). @default 'immediate' */
  updating?: 'immediate' | 'deferred'
  /** Thread count (with an objective given by module reference or one of Musique's test functions), a map-like function, or a WorkerPool. @default 1 */
  workers?: OptimizeWorkers
  /** NonlinearConstraint / LinearConstraint / Bounds, one or a list. */
  constraints?: NonlinearConstraint | LinearConstraint | Bounds | (NonlinearConstraint | LinearConstraint | Bounds)[]
  /** Per variable (or one for all): restricted to integers. */
  integrality?: boolean | boolean[]
  /** `func` takes the whole population at once: an N×S NDArray (one point per column), returning S values. @default false */
  vectorized?: boolean
  /** A first guess, replacing one population member. */
  x0?: ArrayInput
  /** Extra arguments passed to func after x. */
  args?: unknown[]
  /**
   * Milliseconds one evaluation may take in a worker thread, for a `func` (and constraint functions) given as a
   * `{ module, export }` reference with an integer `workers`: past it the worker is terminated and replaced and the
   * call fails with an Error of code 'ERR_WORKER_TIMEOUT'. A shared {@link WorkerPool} takes its own `timeout`.
   * Not a SciPy option. @default no limit
   */
  timeout?: number
}

/** The objective of an optimizer: a function of x, a `{ module, export }` reference worker threads import, or one of Musique's test functions. */
export type Objective = ((x: Float64Array, ...args: never[]) => number) | ModuleFunction

const STRATEGIES = new Set<string>([
  'best1bin',
  'best1exp',
  'rand1bin',
  'rand1exp',
  'rand2bin',
  'rand2exp',
  'randtobest1bin',
  'randtobest1exp',
  'currenttobest1bin',
  'currenttobest1exp',
  'best2bin',
  'best2exp',
])

/** The options {@link differentialEvolution} knows: SciPy's keywords in camelCase. */
const DE_OPTIONS = [
  'strategy',
  'maxiter',
  'popsize',
  'tol',
  'mutation',
  'recombination',
  'seed',
  'rng',
  'maxfun',
  'callback',
  'disp',
  'polish',
  'init',
  'atol',
  'updating',
  'workers',
  'constraints',
  'x0',
  'integrality',
  'vectorized',
  'args',
  'timeout',
] as const
const DE_ASYNC_OPTIONS = [...DE_OPTIONS, 'signal'] as const
const DE_INITS = ['latinhypercube', 'sobol', 'halton', 'random'] as const

/** A finite number option (a finite-difference step): NaN and ±Infinity are RangeErrors. */
function finiteOption(value: unknown, name: string): number | undefined {
  const v = numberOption(value, name, undefined)
  if (v !== undefined && !Number.isFinite(v)) throw rangeError(name, 'a finite number', v)
  return v
}

/** An extra-arguments option (SciPy's `args`): an array, `[]` when omitted. */
function argsOption(value: unknown, name = 'args'): unknown[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) throw typeError(name, 'an array', value)
  return value
}

interface Prepared {
  options: ConstructorParameters<typeof native.DeSolver>[0]
  dim: number
  evaluate: Evaluator
  vectorized: boolean
  func: unknown
  args: unknown[]
  nonlinear: NonlinearConstraint[]
  /** Components of each nonlinear constraint. */
  widths: number[]
  /** The worker_threads that evaluate constraints given by reference: the objective's pool, or one of their own. */
  constraintPool?: WorkerPool
  ownsConstraintPool: boolean
  strategyFn?: StrategyFunction
  callback?: (r: IntermediateResult) => unknown
  disp: boolean
  polish: boolean | PolishFunction
  polishBounds: [number, number][]
  /** Vectorized: points and calls of the generations (SciPy counts one evaluation per call). */
  vecPoints: number
  vecCalls: number
  workers: unknown
}

function prepareDe(func: unknown, bounds: unknown, options: unknown, where = 'differentialEvolution'): Prepared {
  const o = checkOptions(options, where, where === 'differentialEvolution' ? DE_OPTIONS : DE_ASYNC_OPTIONS) as DifferentialEvolutionOptions
  const b = flatBounds(bounds)
  const dim = b.length / 2
  for (let i = 0; i < dim; i++) {
    if (!Number.isFinite(b[2 * i]) || !Number.isFinite(b[2 * i + 1])) throw rangeError(`bounds[${i}]`, 'finite [lo, hi]', `[${b[2 * i]}, ${b[2 * i + 1]}]`)
    if (b[2 * i] > b[2 * i + 1]) throw rangeError(`bounds[${i}]`, 'a pair with lo <= hi', `[${b[2 * i]}, ${b[2 * i + 1]}]`)
  }
  const strategy = o.strategy ?? 'best1bin'
  let strategyFn: StrategyFunction | undefined
  let strategyName: string
  const strategies = `one of ${[...STRATEGIES].map((s) => `'${s}'`).join(', ')} or a function`
  if (typeof strategy === 'function') {
    strategyFn = strategy
    strategyName = 'custom'
  } else if (typeof strategy !== 'string') {
    throw typeError('strategy', strategies, strategy)
  } else if (STRATEGIES.has(strategy)) {
    strategyName = strategy
  } else {
    throw valueError('strategy', strategies, strategy)
  }
  const maxiter = intOption(o.maxiter, 'maxiter', 1000, { min: 0 })
  const popsize = intOption(o.popsize, 'popsize', 15, { min: 1 })
  // The population is popsize·N points of N values, held in memory: refuse what cannot be allocated
  // (SciPy's MemoryError) rather than abort the process. 2**27 values is 1 GiB, as brute's grid.
  const maxPopsize = Math.max(1, Math.floor(2 ** 27 / (dim * dim)))
  if (popsize > maxPopsize) throw rangeError('popsize', `an integer >= 1 and <= ${maxPopsize} for ${dim} parameters (at most 2**27 population values)`, popsize)
  const tol = numberOption(o.tol, 'tol', 0.01, { min: 0 })
  const atol = numberOption(o.atol, 'atol', 0, { min: 0 })
  // SciPy's np.inf (the default) means no limit.
  const maxfun = o.maxfun === Infinity ? undefined : intOption(o.maxfun, 'maxfun', undefined, { min: 0 })
  let mutation: number[]
  if (o.mutation === undefined || o.mutation === null) mutation = [0.5, 1]
  else if (typeof o.mutation === 'number') mutation = [o.mutation]
  else if (Array.isArray(o.mutation) && o.mutation.length === 2 && o.mutation.every((m) => typeof m === 'number')) mutation = [...o.mutation]
  else throw typeError('mutation', 'a number or [min, max]', o.mutation)
  // SciPy's rule (as musique-optimize's guard): every value finite, in [0, 2).
  if (mutation.some((m) => !(Number.isFinite(m) && m >= 0 && m < 2))) {
    throw rangeErrorMessage('The mutation constant must be a float in U[0, 2), or specified as a tuple(min, max) where min < max and min, max are in U[0, 2).')
  }
  const recombination = numberOption(o.recombination, 'recombination', 0.7, { min: 0, max: 1 })
  if (o.seed !== undefined && o.seed !== null && o.rng !== undefined && o.rng !== null) throw typeErrorMessage('pass seed or rng, not both')
  const seed = checkSeed(o.seed ?? o.rng, o.seed !== undefined && o.seed !== null ? 'seed' : 'rng')
  const vectorized = boolOption(o.vectorized, 'vectorized', false)
  const args = argsOption(o.args)
  const disp = boolOption(o.disp, 'disp', false)
  const callback = functionOption<(r: IntermediateResult) => unknown>(o.callback, 'callback')
  const polish = o.polish ?? true
  if (typeof polish !== 'boolean' && typeof polish !== 'function') throw typeError('polish', 'a boolean or a function', polish)
  let updating = enumOption(o.updating, 'updating', ['immediate', 'deferred'] as const, 'immediate')
  let integrality: boolean[] | undefined
  if (o.integrality !== undefined && o.integrality !== null) {
    const ints = o.integrality as unknown
    if (typeof ints === 'boolean') integrality = new Array<boolean>(dim).fill(ints)
    // One boolean in an array broadcasts too, as SciPy's np.broadcast_to(integrality, N).
    else if (Array.isArray(ints) && ints.every((v) => typeof v === 'boolean')) integrality = ints.length === 1 ? new Array<boolean>(dim).fill(ints[0]) : [...ints]
    else throw typeError('integrality', 'a boolean or an array of booleans', ints)
    if (integrality.length !== dim) throw rangeError('integrality', `${dim} booleans (one per bound)`, o.integrality)
    for (let i = 0; i < dim; i++) {
      if (integrality[i] && Math.ceil(b[2 * i]) > Math.floor(b[2 * i + 1])) {
        throw rangeErrorMessage('One of the integrality constraints does not have any possible integer values between the lower/upper bounds.', 'ERR_INVALID_ARG_VALUE')
      }
    }
  }
  const timeout = numberOption(o.timeout, 'timeout', undefined, { min: 0, exclusiveMin: true })
  const evaluate = evaluator(func, o.workers, args, 'func', timeout)
  let constraintPool = evaluate.pool
  let ownsConstraintPool = false
  try {
    if (updating === 'immediate' && (evaluate.parallel || evaluate.native !== undefined && evaluate.threads > 1)) {
      process.emitWarning("differential_evolution: the 'workers' keyword has overridden updating='immediate' to updating='deferred'", 'UserWarning')
      updating = 'deferred'
    }
    if (updating === 'immediate' && vectorized) {
      process.emitWarning("differential_evolution: the 'vectorized' keyword has overridden updating='immediate' to updating='deferred'", 'UserWarning')
      updating = 'deferred'
    }
    let init: Prepared['options']['init'] = 'latinhypercube'
    let initArray: Float64Array | undefined
    if (o.init !== undefined && o.init !== null) {
      if (typeof o.init === 'string') {
        if (!(DE_INITS as readonly string[]).includes(o.init)) throw valueError('init', "'latinhypercube', 'sobol', 'halton', 'random' or an array of points", o.init)
        init = o.init as (typeof DE_INITS)[number]
      }
      else if (typeof o.init === 'object' && o.init !== null) {
        init = 'array'
        const points = readFloat64(o.init, 'init', 2)
        if (points.shape[1] !== dim) throw rangeError('init', `an array of points with ${dim} values each`, `shape [${points.shape.join(', ')}]`)
        if (points.shape[0] < 5) throw rangeErrorMessage('The population supplied needs to have shape (S, len(x)), where S > 4.', 'ERR_INVALID_ARG_VALUE')
        initArray = points.data
      } else throw typeError('init', "'latinhypercube', 'sobol', 'halton', 'random' or an array of points", o.init)
    }
    let x0: Float64Array | undefined
    if (o.x0 !== undefined && o.x0 !== null) {
      x0 = readFloat64(o.x0, 'x0', 1).data
      if (x0.length !== dim) throw rangeError('x0', `${dim} values (one per bound)`, o.x0)
      for (let i = 0; i < dim; i++) {
        if (!(x0[i] >= b[2 * i] && x0[i] <= b[2 * i + 1])) throw rangeError('x0', 'a point within the bounds', `x0[${i}] = ${x0[i]}`)
      }
    }
    const list = o.constraints === undefined || o.constraints === null ? [] : Array.isArray(o.constraints) ? o.constraints : [o.constraints]
    const nonlinear: NonlinearConstraint[] = []
    const widths: number[] = []
    const constraints = list.map((c, i): Prepared['options']['constraints'][number] => {
      if (c instanceof NonlinearConstraint) {
        nonlinear.push(c)
        // The number of components: fun at the centre of the bounds (SciPy also evaluates it once to learn it).
        const centre = Float64Array.from({ length: dim }, (_, k) => (b[2 * k] + b[2 * k + 1]) / 2)
        let probe: number | ArrayLike<number>
        if (isModuleFunction(c.fun)) {
          if (typeof o.workers === 'function') {
            throw typeErrorMessage(`constraints[${i}].fun is a { module, export } reference, which a map-like workers cannot call: pass a function, or an integer workers / a WorkerPool`)
          }
          if (!constraintPool) {
            constraintPool = new WorkerPool(c.fun, { size: evaluate.threads, timeout })
            ownsConstraintPool = true
          }
          probe = constraintPool.callSync(c.fun, centre)
        } else probe = c.fun(centre)
        if (typeof probe !== 'number' && (probe === null || typeof probe !== 'object' || typeof probe.length !== 'number')) {
          throw typeErrorMessage(`constraints[${i}].fun must return a number or an array of numbers; got ${probe === null ? 'null' : typeof probe}`)
        }
        const m = typeof probe === 'number' ? 1 : probe.length
        widths.push(m)
        return { kind: 'nonlinear', lb: broadcast(c.lb, m, `constraints[${i}].lb`), ub: broadcast(c.ub, m, `constraints[${i}].ub`) }
      }
      if (c instanceof LinearConstraint) {
        // A 1-D A is one row, as SciPy's np.atleast_2d(A).
        const A = readFloat64(c.A, `constraints[${i}].A`)
        if (A.shape.length === 0 || A.shape.length > 2 || A.shape[A.shape.length - 1] !== dim) {
          throw rangeError(`constraints[${i}].A`, `a matrix with ${dim} columns`, `shape [${A.shape.join(', ')}]`)
        }
        const m = A.shape.length === 1 ? 1 : A.shape[0]
        return { kind: 'linear', a: A.data, lb: broadcast(c.lb, m, `constraints[${i}].lb`), ub: broadcast(c.ub, m, `constraints[${i}].ub`) }
      }
      if (c instanceof Bounds) return { kind: 'bounds', lb: broadcast(c.lb, dim, `constraints[${i}].lb`), ub: broadcast(c.ub, dim, `constraints[${i}].ub`) }
      throw typeError(`constraints[${i}]`, 'a NonlinearConstraint, LinearConstraint or Bounds', c)
    })
    const polishBounds: [number, number][] = Array.from({ length: dim }, (_, i) => [b[2 * i], b[2 * i + 1]])
    return {
      options: {
        bounds: b,
        strategy: strategyName,
        maxiter,
        popsize,
        tol,
        atol,
        mutation,
        recombination,
        seed,
        polish: polish !== false,
        init,
        initArray,
        updating,
        x0,
        integrality,
        constraints,
        maxfun,
      },
      dim,
      evaluate,
      vectorized,
      func,
      args,
      nonlinear,
      widths,
      constraintPool,
      ownsConstraintPool,
      strategyFn,
      callback,
      disp,
      polish,
      polishBounds,
      vecPoints: 0,
      vecCalls: 0,
      workers: o.workers,
    }
  } catch (e) {
    // Bad options found after worker_threads were started: stop them before throwing.
    void evaluate.close()
    if (ownsConstraintPool) void constraintPool?.close()
    throw e
  }
}

/** Objective values at `points` (rows), honouring `vectorized`. */
function evalSync(p: Prepared, points: Float64Array, generation = false): Float64Array {
  const count = points.length / p.dim
  if (p.vectorized) {
    if (generation) {
      p.vecPoints += count
      p.vecCalls++
    }
    return vectorizedCall(p, points, count)
  }
  return p.evaluate.evalSync(points, count, p.dim)
}

async function evalAsync(p: Prepared, points: Float64Array, signal?: AbortSignal): Promise<Float64Array> {
  const count = points.length / p.dim
  if (p.vectorized) return evalSync(p, points, true)
  return p.evaluate.evalAsync(points, count, p.dim, signal)
}

function vectorizedCall(p: Prepared, points: Float64Array, count: number): Float64Array {
  if (typeof p.func !== 'function') throw typeErrorMessage('vectorized needs func to be a function')
  // SciPy hands the population as an (N, S) array: one point per column.
  const t = new Float64Array(points.length)
  for (let s = 0; s < count; s++) for (let j = 0; j < p.dim; j++) t[j * count + s] = points[s * p.dim + j]
  const values = (p.func as (x: NDArray<'float64'>, ...a: unknown[]) => ArrayLike<number>)({ data: t, shape: [p.dim, count], dtype: 'float64' }, ...p.args)
  if (values === null || typeof values !== 'object' || values.length !== count) {
    throw typeErrorMessage(`a vectorized func must return ${count} values (one per column); got ${values === null || typeof values !== 'object' ? typeof values : `${values.length} values`}`)
  }
  return Float64Array.from(values)
}

/** Values of every nonlinear constraint at each point, flattened, from per-constraint per-point values. */
function flattenConstraints(p: Prepared, values: ArrayLike<number | ArrayLike<number>>[], count: number): Float64Array {
  const out: number[] = []
  for (let s = 0; s < count; s++) {
    for (let c = 0; c < p.nonlinear.length; c++) {
      const v = values[c][s]
      if (typeof v === 'number') out.push(v)
      else if (v !== null && typeof v === 'object' && typeof v.length === 'number') for (let i = 0; i < v.length; i++) out.push(v[i])
      else throw typeErrorMessage(`constraints: a NonlinearConstraint's fun must return a number or an array of numbers; got ${v === null ? 'null' : typeof v}`)
    }
  }
  return Float64Array.from(out)
}

/**
 * The nonlinear constraints at `points` (rows), as parallel as the objective
 * (SciPy evaluates them serially: its issue 12628): a reference on the
 * solve's worker_threads, a function through a map-like `workers`, else on
 * this thread.
 */
function constraintValues(p: Prepared, points: Float64Array, mainThread = false): Float64Array {
  const count = points.length / p.dim
  const xs = rows(points, count, p.dim)
  const map = typeof p.workers === 'function' && !mainThread ? (p.workers as unknown as (f: unknown, xs: Float64Array[]) => unknown) : undefined
  const values = p.nonlinear.map((c, i) => {
    if (isModuleFunction(c.fun)) return rows(p.constraintPool!.mapSync(points, count, p.dim, { fn: c.fun, width: p.widths[i] }), count, p.widths[i])
    const fun = c.fun
    if (!map) return xs.map((x) => fun(x))
    const r = map(fun, xs)
    if (r !== null && typeof r === 'object' && typeof (r as Promise<unknown>).then === 'function') {
      throw typeErrorMessage('workers returned a Promise: use differentialEvolutionAsync with an asynchronous map-like workers')
    }
    return r as ArrayLike<number | ArrayLike<number>>
  })
  return flattenConstraints(p, values, count)
}

async function constraintValuesAsync(p: Prepared, points: Float64Array, signal?: AbortSignal): Promise<Float64Array> {
  const map = typeof p.workers === 'function' ? (p.workers as unknown as (f: unknown, xs: Float64Array[]) => unknown) : undefined
  const count = points.length / p.dim
  const xs = rows(points, count, p.dim)
  const values: ArrayLike<number | ArrayLike<number>>[] = []
  // One constraint at a time: a pool serves one batch at a time.
  for (const [i, c] of p.nonlinear.entries()) {
    const fun = c.fun
    if (isModuleFunction(fun)) values.push(rows(await p.constraintPool!.map(points, count, p.dim, { fn: fun, width: p.widths[i], signal }), count, p.widths[i]))
    else if (map) values.push((await map(fun, xs)) as ArrayLike<number | ArrayLike<number>>)
    else values.push(xs.map((x) => fun(x)))
  }
  return flattenConstraints(p, values, count)
}

/** Closes the worker_threads a solve built for itself. */
async function closeDe(p: Prepared): Promise<void> {
  if (p.ownsConstraintPool) await p.constraintPool?.close()
  await p.evaluate.close()
}

function trials(p: Prepared, solver: InstanceType<typeof native.DeSolver>, indices: number[]): Float64Array {
  const population = mat(solver.population(), p.dim)
  const rng = () => solver.uniform(1)[0]
  const out = new Float64Array(indices.length * p.dim)
  indices.forEach((k, i) => {
    const t = p.strategyFn!(k, population, rng)
    if (t === null || typeof t !== 'object' || t.length !== p.dim) throw typeErrorMessage(`strategy must return ${p.dim} values (a trial vector); got ${t === null || typeof t !== 'object' ? typeof t : `${t.length} values`}`)
    out.set(Float64Array.from(t), i * p.dim)
  })
  return out
}

function tell(solver: InstanceType<typeof native.DeSolver>, values: Float64Array): void {
  callNative(() => solver.tell(values))
}

/** What DE's loop needs from its caller: values at points, or a turn of the event loop (Async form) after a generation. */
type DeRequest = { kind: 'objective' | 'constraints'; points: Float64Array } | { kind: 'generation' }

/**
 * DE's generation loop, written once for both forms: the engine asks, this
 * answers what it can itself (trial vectors, the callback) and yields the
 * evaluations; the sync form answers them inline, the Async form awaits them
 * (racing its signal).
 */
function* deLoop(p: Prepared, solver: InstanceType<typeof native.DeSolver>): Generator<DeRequest, void, Float64Array | undefined> {
  for (;;) {
    const q = solver.ask()
    if (q.kind === 'objective' || q.kind === 'constraints') tell(solver, (yield { kind: q.kind, points: q.points! })!)
    else if (q.kind === 'trials') tell(solver, trials(p, solver, q.indices!))
    else if (q.kind === 'generation') {
      generation(p, solver)
      yield { kind: 'generation' }
    } else return
  }
}

/** SciPy's callback point: true when the run should stop. */
function generation(p: Prepared, solver: InstanceType<typeof native.DeSolver>): void {
  if (!p.callback && !p.disp) return
  const r = solver.intermediate()
  if (p.disp) console.log(`differential_evolution step ${r.nit}: f(x)= ${r.fun}`)
  if (!p.callback) return
  let stop: unknown
  try {
    stop = p.callback({ x: r.x, fun: r.fun, nit: r.nit, convergence: r.convergence, population: mat(r.population, p.dim), populationEnergies: r.populationEnergies })
  } catch {
    // As SciPy's StopIteration: a callback that throws ends the run (polishing still runs).
    stop = true
  }
  if (stop === true) solver.requestStop()
}

function polishSync(p: Prepared, solver: InstanceType<typeof native.DeSolver>, mainThread = false): void {
  const method = solver.polishMethod()
  if (method === null || p.polish === false) return
  // The polish calls the objective synchronously. In the Async form a map-like `workers` may return Promises,
  // so there the polish calls func on this thread (same values: map-like workers get func, which is a function).
  const evaluate = mainThread && !p.vectorized && typeof p.func === 'function' && typeof p.workers === 'function' ? evaluator(p.func, undefined, p.args) : undefined
  const batch = evaluate ? (xs: Float64Array): Float64Array => evaluate.evalSync(xs, xs.length / p.dim, p.dim) : (xs: Float64Array): Float64Array => evalSync(p, xs)
  if (method === 'auglag' && typeof p.polish !== 'function') {
    // Under constraints: an augmented-Lagrangian method with L-BFGS-B subproblems in the engine (SciPy uses
    // trust-constr); each gradient's points go to the objective and the constraints as one batch each.
    callNative(() => solver.polishConstrained(batch, (xs: Float64Array) => constraintValues(p, xs, mainThread)))
    return
  }
  const best = solver.outcome()
  // The engine's polish bounds: integer parameters pinned to the best point's values, as SciPy.
  const flat = solver.polishBounds()
  const bounds = Array.from({ length: p.dim }, (_, i): [number, number] => [flat[i], flat[p.dim + i]])
  let r: Pick<OptimizeResult, 'x' | 'fun'> & Partial<OptimizeResult>
  if (typeof p.polish === 'function') {
    r = p.polish((x: Float64Array): number => batch(x)[0], best.x, { bounds })
  } else {
    r = minimizeCore(batch, best.x, minimizeRequest(p.dim, { method: 'L-BFGS-B', bounds }))
  }
  const x = Float64Array.from(r.x)
  solver.acceptPolish({
    x,
    fun: r.fun,
    success: r.success ?? true,
    nfev: r.nfev ?? 0,
    jac: r.jac,
    // A user's polish may ignore the constraints: the engine keeps its point only when it is no more infeasible.
    constraintValues: p.nonlinear.length > 0 ? constraintValues(p, x, mainThread) : undefined,
  })
}

/**
 * Finds the global minimum of a function over bounds by differential evolution
 * (scipy.optimize.differential_evolution), with every SciPy option and default.
 *
 * `workers` parallelises each generation: an integer with `func` given as a
 * `{ module, export }` reference (worker_threads import it) or one of Musique's
 * test functions (evaluated in Rust), a map-like function `(fn, points) => values`,
 * or a {@link WorkerPool}. A plain closure with `workers > 1` is a TypeError,
 * as SciPy needs a picklable function. When `workers` ≠ 1, updating is 'deferred'.
 *
 * @param func - f(x) → number, a module reference, or a Musique test function such as {@link rosen}.
 * @param bounds - [[lo, hi], …] or a {@link Bounds}.
 * @returns The result with x, fun, nfev, nit, success, message, population and populationEnergies.
 * @throws TypeError/RangeError for bad options; the objective's own error if it throws (worker threads are shut down).
 * @example
 * ```ts
 * import { differentialEvolution, rosen } from 'musique/optimize'
 * const r = differentialEvolution(rosen, [[-5, 5], [-5, 5], [-5, 5]], { seed: 1 })
 * r.x // Float64Array [1, 1, 1] (to about 1e-8)
 * ```
 */
export function differentialEvolution(func: Objective, bounds: BoundsInput, options?: DifferentialEvolutionOptions): DifferentialEvolutionResult {
  const p = prepareDe(func, bounds, options)
  try {
    if (canRunNative(p)) {
      const r = callNative(() => native.deRunNative(p.options, p.evaluate.native!, p.evaluate.threads))
      return finishNative(p, r)
    }
    const solver = callNative(() => new native.DeSolver(p.options))
    const loop = deLoop(p, solver)
    for (let step = loop.next(); !step.done; ) {
      const q = step.value
      step = loop.next(q.kind === 'objective' ? evalSync(p, q.points, true) : q.kind === 'constraints' ? constraintValues(p, q.points) : undefined)
    }
    polishSync(p, solver)
    return outcome(p, solver)
  } finally {
    void closeDe(p)
  }
}

function outcome(p: Prepared, solver: InstanceType<typeof native.DeSolver>): DifferentialEvolutionResult {
  const out = deResult(solver.outcome(), p.dim)
  // SciPy counts a vectorized call as one evaluation (the polish's nfev as it reports it).
  if (p.vectorized) out.nfev += p.vecCalls - p.vecPoints
  return out
}

function canRunNative(p: Prepared): boolean {
  // With constraints the engine must judge the polished point (finishNative cannot), so those runs are driven from here.
  return p.evaluate.native !== undefined && !p.callback && !p.disp && !p.strategyFn && (p.options.constraints?.length ?? 0) === 0 && !p.vectorized
}

/** A whole native run, then the polish in JS (native objective through the batch evaluator). */
function finishNative(p: Prepared, r: DeResultNative): DifferentialEvolutionResult {
  const out = deResult(r, p.dim)
  const integrality = p.options.integrality
  if (p.polish === false || !p.options.polish || integrality?.every(Boolean)) return out
  // As SciPy: integer parameters are pinned to the best point's values during the polish.
  const bounds = p.polishBounds.map(([lo, hi], i): [number, number] => (integrality?.[i] ? [out.x[i], out.x[i]] : [lo, hi]))
  const pol =
    typeof p.polish === 'function'
      ? p.polish((x) => evalSync(p, x)[0], out.x, { bounds })
      : minimizeCore((xs) => evalSync(p, xs), out.x, minimizeRequest(p.dim, { method: 'L-BFGS-B', bounds }))
  out.nfev += pol.nfev ?? 0
  // SciPy keeps the polished point when it is better, successful and within the bounds.
  const x = Float64Array.from(pol.x)
  const inside = x.every((v, i) => v >= bounds[i][0] && v <= bounds[i][1])
  if (pol.fun < out.fun && (pol.success ?? true) && inside) {
    out.x = x
    out.fun = pol.fun
    if (pol.jac) out.jac = pol.jac
    out.populationEnergies[0] = pol.fun
    out.population.data.set(x, 0)
  }
  return out
}

/**
 * Promise form of {@link differentialEvolution}: awaits the objective between
 * generations (so a map-like `workers` may return Promises and the objective
 * may be async), calls `callback` every generation, leaves the event loop free
 * between batches, and stops when `signal` aborts (rejecting with its reason
 * and shutting down worker threads it started).
 *
 * @example
 * ```ts
 * import { differentialEvolutionAsync } from 'musique/optimize'
 * const objective = { module: new URL('./cost.mjs', import.meta.url), export: 'cost' }
 * const r = await differentialEvolutionAsync(objective, bounds, { workers: 4, signal: AbortSignal.timeout(60_000) })
 * ```
 */
export async function differentialEvolutionAsync(
  func: Objective,
  bounds: BoundsInput,
  options?: DifferentialEvolutionOptions & { signal?: AbortSignal },
): Promise<DifferentialEvolutionResult> {
  const signal = checkSignal(options?.signal)
  if (signal?.aborted) throw abortError(signal)
  const p = prepareDe(func, bounds, options, 'differentialEvolutionAsync')
  try {
    if (canRunNative(p)) {
      const r = await withAbort((token) => native.deRunNativeAsync(p.options, p.evaluate.native!, p.evaluate.threads, token), signal)
      return finishNative(p, r)
    }
    const solver = callNative(() => new native.DeSolver(p.options))
    const loop = deLoop(p, solver)
    // Every await races the signal: an abort rejects at once, whatever the batch does (a WorkerPool batch
    // also gets the signal and terminates its busy workers; a Promise that never settles is left behind).
    for (let step = loop.next(); !step.done; ) {
      const q = step.value
      if (q.kind === 'objective') step = loop.next(await untilAbort(evalAsync(p, q.points, signal), signal))
      else if (q.kind === 'constraints') step = loop.next(await untilAbort(constraintValuesAsync(p, q.points, signal), signal))
      else {
        // One turn of the event loop per generation: timers and I/O run even with a sync objective.
        await untilAbort(turn(), signal)
        step = loop.next(undefined)
      }
    }
    if (signal?.aborted) throw abortError(signal)
    polishSync(p, solver, true)
    return outcome(p, solver)
  } finally {
    // Terminating a stuck worker takes milliseconds: it rejects with its threads gone.
    await closeDe(p)
  }
}

// ================================================================ minimize

/** Methods of {@link minimize}. */
export type MinimizeMethod = 'Nelder-Mead' | 'Powell' | 'CG' | 'BFGS' | 'L-BFGS-B'

/** Options of {@link minimize}, as scipy.optimize.minimize's keywords. */
export interface MinimizeOptions {
  /** @default 'BFGS', or 'L-BFGS-B' when bounds are given */
  method?: MinimizeMethod
  /** Gradient: a function x → ∇f(x), or '2-point' / '3-point' finite differences. @default forward differences with step options.eps */
  jac?: ((x: Float64Array, ...args: never[]) => ArrayLike<number>) | '2-point' | '3-point'
  /** [[lo, hi], …] or a {@link Bounds} (Nelder-Mead, Powell, L-BFGS-B). */
  bounds?: BoundsInput
  /** Method-specific tolerance, as SciPy's `tol`. */
  tol?: number
  /** Called after each iteration with {x, fun, nit}; return true to stop (status 99). */
  callback?: (intermediate: IntermediateResult) => unknown
  /** Extra arguments passed to the objective after x. */
  args?: unknown[]
  /**
   * Method options, SciPy's names in camelCase; each method takes its own and an unknown key is a TypeError:
   * - 'Nelder-Mead': maxiter, maxfev, xatol, fatol, adaptive, initialSimplex ((n+1)×n);
   * - 'Powell': maxiter, maxfev, xtol, ftol, direc (n×n);
   * - 'CG': maxiter, gtol, norm, eps, c1, c2, finiteDiffRelStep, workers;
   * - 'BFGS': maxiter, gtol, norm, eps, c1, c2, xrtol, hessInv0 (n×n), finiteDiffRelStep, workers;
   * - 'L-BFGS-B': maxcor, ftol, gtol, eps, maxfun, maxiter, maxls, finiteDiffRelStep, workers.
   *
   * Counts are integers (maxiter, maxfev, maxfun ≥ 0; maxcor, maxls ≥ 1), tolerances numbers ≥ 0; `null` is the default.
   * `workers` evaluates a finite-difference gradient's points in parallel (a thread count with a module/test-function
   * objective, a map-like function, or a WorkerPool), as SciPy 1.16.
   */
  options?: Record<string, unknown> & {
    /** Parallel evaluation of a finite-difference gradient's points: a thread count, a map-like function, or a WorkerPool. @default 1 */
    workers?: OptimizeWorkers
  }
}

type EvalBatch = (xs: Float64Array) => Float64Array

interface CoreOptions {
  method?: unknown
  jac?: unknown
  bounds?: unknown
  tol?: unknown
  callback?: unknown
  options?: unknown
  args?: unknown
}

/** The keys of {@link minimize}'s options: SciPy's keywords that Musique supports. */
const MINIMIZE_OPTIONS = ['method', 'jac', 'bounds', 'tol', 'callback', 'args', 'options'] as const
const MINIMIZE_METHODS = ['Nelder-Mead', 'Powell', 'CG', 'BFGS', 'L-BFGS-B'] as const

/**
 * The method options each method reads: SciPy's names in camelCase, less
 * those Musique does not implement (disp, return_all, iprint). `workers` where
 * SciPy 1.16 takes it: the methods that evaluate finite-difference gradients.
 */
const METHOD_OPTIONS: Record<string, readonly string[]> = {
  'nelder-mead': ['maxiter', 'maxfev', 'xatol', 'fatol', 'adaptive', 'initialSimplex'],
  powell: ['maxiter', 'maxfev', 'xtol', 'ftol', 'direc'],
  cg: ['maxiter', 'gtol', 'norm', 'eps', 'c1', 'c2', 'finiteDiffRelStep', 'workers'],
  bfgs: ['maxiter', 'gtol', 'norm', 'eps', 'c1', 'c2', 'xrtol', 'hessInv0', 'finiteDiffRelStep', 'workers'],
  'l-bfgs-b': ['maxcor', 'ftol', 'gtol', 'eps', 'maxfun', 'maxiter', 'maxls', 'finiteDiffRelStep', 'workers'],
}

/** A rows×cols matrix option (initialSimplex, direc, hessInv0), row-major; its shape is checked so no array is misread. */
function matrixOption(v: unknown, name: string, rows: number, cols: number): Float64Array | undefined {
  if (v === undefined || v === null) return undefined
  const { data, shape } = readFloat64(v, name, 2)
  if (shape[0] !== rows || shape[1] !== cols) throw rangeError(name, `a ${rows}×${cols} array`, `shape [${shape.join(', ')}]`)
  return data
}

/** minimize's arguments, checked, as the binding takes them. */
interface MinimizeRequest {
  bounds?: Float64Array
  jac?: EvalBatch
  callback?: (state: Float64Array) => boolean
  options: Parameters<typeof native.minimizeExecute>[5]
  /** `options.workers`, for the evaluator. */
  workers: unknown
}

/** Checks minimize's options (top level and the method's own) once, for a problem in `n` variables. */
function minimizeRequest(n: number, options: unknown): MinimizeRequest {
  const o = checkOptions(options, 'minimize', MINIMIZE_OPTIONS) as CoreOptions
  const bounds = o.bounds === undefined || o.bounds === null ? undefined : flatBounds(o.bounds)
  if (bounds && bounds.length !== 2 * n) throw rangeError('bounds', `${n} [lo, hi] pairs (one per variable)`, o.bounds)
  const methodName = o.method ?? (bounds ? 'L-BFGS-B' : 'BFGS')
  if (typeof methodName !== 'string') throw typeError('method', oneOf(MINIMIZE_METHODS), methodName)
  // SciPy matches method names ignoring case.
  const method = MINIMIZE_METHODS.find((k) => k.toLowerCase() === methodName.toLowerCase())
  if (method === undefined) throw valueError('method', oneOf(MINIMIZE_METHODS), methodName)
  const m = method.toLowerCase()
  const opts = checkOptions(o.options, `minimize (method '${method}')`, METHOD_OPTIONS[m], 'options.options')
  const int = (k: string, min: number) => intOption(opts[k], `options.${k}`, undefined, { min })
  const nonNegative = (k: string) => numberOption(opts[k], `options.${k}`, undefined, { min: 0 })
  const tol = numberOption(o.tol, 'tol', undefined, { min: 0 })
  const args = argsOption(o.args)
  let jac: EvalBatch | undefined
  let finiteDiff: 'abs' | '2-point' | '3-point' = 'abs'
  if (typeof o.jac === 'function') {
    const g = o.jac as (x: Float64Array, ...a: unknown[]) => ArrayLike<number>
    jac = (xx) => Float64Array.from(g(xx, ...args))
  } else if (o.jac === '2-point' || o.jac === '3-point') finiteDiff = o.jac
  else if (typeof o.jac === 'string') throw valueError('jac', "a function, '2-point' or '3-point'", o.jac)
  else if (o.jac !== undefined && o.jac !== null) throw typeError('jac', "a function, '2-point' or '3-point'", o.jac)
  const cb = functionOption<(r: IntermediateResult) => unknown>(o.callback, 'callback')
  const callback = cb
    ? // An exception propagates, as SciPy's do (only StopIteration stops it there; here, returning true).
      (state: Float64Array): boolean => cb({ nit: state[0], fun: state[1], x: state.slice(2) }) === true
    : undefined
  const adaptive = boolOption(opts.adaptive, 'options.adaptive')
  const c1 = numberOption(opts.c1, 'options.c1')
  const c2 = numberOption(opts.c2, 'options.c2')
  // SciPy's `tol` sets the method's own tolerances, unless they are given.
  const byTol = (k: string, methods: string[]) => nonNegative(k) ?? (methods.includes(m) ? tol : undefined)
  return {
    bounds,
    jac,
    callback,
    workers: opts.workers,
    options: {
      method,
      maxiter: int('maxiter', 0),
      maxfev: int('maxfev', 0),
      maxfun: int('maxfun', 0),
      // L-BFGS-B's memory and line-search steps: SciPy refuses 0 ('maxls must be positive.', 'ERROR: M <= 0').
      maxcor: int('maxcor', 1),
      maxls: int('maxls', 1),
      xatol: byTol('xatol', ['nelder-mead']),
      fatol: byTol('fatol', ['nelder-mead']),
      adaptive,
      initialSimplex: matrixOption(opts.initialSimplex, 'options.initialSimplex', n + 1, n),
      xtol: byTol('xtol', ['powell']),
      ftol: byTol('ftol', ['powell', 'l-bfgs-b']),
      direc: matrixOption(opts.direc, 'options.direc', n, n),
      gtol: byTol('gtol', ['cg', 'bfgs', 'l-bfgs-b']),
      // The order of the gradient norm (±Infinity: max/min abs), as np.linalg.norm's `ord`.
      norm: numberOption(opts.norm, 'options.norm'),
      xrtol: nonNegative('xrtol'),
      // 0 < c1 < c2 < 1 together is SciPy's ValueError from the line search, which musique-optimize raises.
      c1,
      c2,
      finiteDiff,
      eps: finiteOption(opts.eps, 'options.eps'),
      relStep: finiteOption(opts.finiteDiffRelStep, 'options.finiteDiffRelStep'),
      hessInv0: matrixOption(opts.hessInv0, 'options.hessInv0', n, n),
    },
  }
}

/** minimize on a batch evaluator (shared by minimize, DE's polish and brute's finish). */
function minimizeCore(evaluate: EvalBatch, x: Float64Array, req: MinimizeRequest): OptimizeResult {
  const r = callNative(() => native.minimizeExecute(x, evaluate, req.jac, req.bounds, req.callback, req.options))
  const n = x.length
  const out: OptimizeResult = {
    x: r.x,
    fun: r.fun,
    nfev: r.nfev,
    njev: r.njev,
    nit: r.nit,
    success: r.success,
    status: r.status,
    message: r.message,
  }
  if (r.jac) out.jac = r.jac
  if (r.hessInv) out.hessInv = mat(r.hessInv, n)
  if (r.finalSimplex && r.finalSimplexValues) out.finalSimplex = { points: mat(r.finalSimplex, n), values: r.finalSimplexValues }
  if (r.direc) out.direc = mat(r.direc, n)
  return out
}

/**
 * Minimizes a function of several variables (scipy.optimize.minimize) with
 * 'Nelder-Mead', 'Powell', 'CG', 'BFGS' or 'L-BFGS-B'.
 *
 * Without `jac`, gradients are finite differences whose points are evaluated
 * as one batch; `options.workers` runs that batch in parallel, as SciPy 1.16.
 *
 * @param fun - f(x) → number (or a module reference / Musique test function with options.workers).
 * @param x0 - Initial guess.
 * @returns An OptimizeResult; not converging is `success: false` with SciPy's message, not an error.
 * @throws TypeError/RangeError for bad arguments; the objective's own error if it throws.
 * @example
 * ```ts
 * import { minimize, rosen } from 'musique/optimize'
 * const r = minimize(rosen, [1.3, 0.7, 0.8, 1.9, 1.2], { method: 'BFGS' })
 * r.x // ≈ Float64Array [1, 1, 1, 1, 1]
 * ```
 */
export function minimize(fun: Objective, x0: ArrayInput, options?: MinimizeOptions): OptimizeResult {
  if (x0 === null || typeof x0 !== 'object') throw typeError('x0', 'an array of numbers', x0)
  const x = readFloat64(x0, 'x0', 1).data
  const n = x.length
  // Every option is checked before the evaluator may start worker threads.
  const req = minimizeRequest(n, options)
  const ev = evaluator(fun, req.workers, argsOption(options?.args), 'fun')
  try {
    return minimizeCore((xs) => ev.evalSync(xs, xs.length / n, n), x, req)
  } finally {
    void ev.close()
  }
}

/**
 * The gradient by forward differences (scipy.optimize.approx_fprime); the n
 * shifted points are evaluated as one batch.
 *
 * @param epsilon - Step. @default √(machine epsilon) ≈ 1.49e-8
 * @example
 * ```ts
 * import { approxFprime } from 'musique/optimize'
 * approxFprime([1, 2], (x) => x[0] ** 2 + 3 * x[1]) // ≈ Float64Array [2, 3]
 * ```
 */
export function approxFprime(xk: ArrayInput, f: Objective, epsilon: number = Math.sqrt(Number.EPSILON), ...args: unknown[]): Float64Array {
  const x = readFloat64(xk, 'xk', 1).data
  const step = finiteOption(epsilon, 'epsilon') ?? Math.sqrt(Number.EPSILON)
  const ev = evaluator(f, undefined, args, 'f')
  try {
    const n = x.length
    return callNative(() => native.approxFprimeExecute(x, (xs) => ev.evalSync(xs, xs.length / n, n), step))
  } finally {
    void ev.close()
  }
}

// ================================================================ scalar

/** Options of {@link minimizeScalar}. */
export interface MinimizeScalarOptions {
  /** @default 'brent', or 'bounded' when bounds are given */
  method?: 'brent' | 'bounded' | 'golden'
  /** Bracketing interval [a, b] or [a, b, c] (brent, golden). */
  bracket?: [number, number] | [number, number, number]
  /** [lo, hi] for 'bounded'. */
  bounds?: [number, number]
  /** Tolerance (xtol, or xatol for 'bounded'). */
  tol?: number
  /** Method options, as SciPy's `options` dict; they take precedence over `tol`. */
  options?: {
    /** Maximum iterations ('bounded': function evaluations). @default 500 (brent, bounded), 5000 (golden) */
    maxiter?: number
    /** Relative tolerance on x (brent, golden). @default 1.48e-8 (brent), √(machine epsilon) ≈ 1.49e-8 (golden) */
    xtol?: number
    /** Absolute tolerance on x ('bounded'). @default 1e-5 */
    xatol?: number
  }
  /** Extra arguments passed to the objective after x. */
  args?: unknown[]
}

/** The result of {@link minimizeScalar}. */
export interface ScalarResult {
  /** The minimizer found. */
  x: number
  /** The objective's value at x. */
  fun: number
  /** Iterations. */
  nit: number
  /** Objective evaluations. */
  nfev: number
  /** Whether the minimizer converged; false with the reason in `message` otherwise. */
  success: boolean
  /** 'bounded' only: 0 solution found, 1 maxiter reached, 2 NaN encountered (SciPy's 'brent' and 'golden' report none). */
  status?: number
  /** Description of the cause of termination, as SciPy's. */
  message: string
}

const SCALAR_OPTIONS = ['method', 'bracket', 'bounds', 'tol', 'options', 'args'] as const
const SCALAR_METHODS = ['brent', 'bounded', 'golden'] as const
/** The method options of {@link minimizeScalar}, per method (SciPy's `disp` is not implemented). */
const SCALAR_METHOD_OPTIONS: Record<string, readonly string[]> = {
  brent: ['xtol', 'maxiter'],
  golden: ['xtol', 'maxiter'],
  bounded: ['xatol', 'maxiter'],
}

/** A short array of numbers (a bracket, a pair of bounds) of one of the `lengths`. */
function numbers(v: unknown, name: string, lengths: number[]): number[] {
  const expected = `an array of ${lengths.join(' or ')} numbers`
  if (!Array.isArray(v) || !v.every((e) => typeof e === 'number')) throw typeError(name, expected, v)
  if (!lengths.includes(v.length)) throw rangeError(name, expected, v)
  return v as number[]
}

function scalarFn(f: unknown, args: unknown[], name: string): (x: number) => number {
  if (typeof f !== 'function') throw typeError(name, 'a function (x: number) => number', f)
  return (x: number) => {
    const v = (f as (x: number, ...a: unknown[]) => unknown)(x, ...args)
    if (typeof v !== 'number') throw typeErrorMessage(`${name} must return a number; got ${v === null ? 'null' : typeof v}`)
    return v
  }
}

/**
 * Minimizes a function of one variable (scipy.optimize.minimize_scalar): 'brent'
 * (default), 'golden', or 'bounded' within `bounds`.
 *
 * @throws TypeError (unknown option, wrong kind of value) or RangeError (a value out of range, or SciPy's
 * ValueError with code 'ERR_INVALID_ARG_VALUE': bounds with 'brent', a bracket that does not bracket);
 * Error with code 'ERR_NO_CONVERGENCE' when the bracket search gives up within its 1000 iterations (SciPy's RuntimeError).
 *
 * @example
 * ```ts
 * import { minimizeScalar } from 'musique/optimize'
 * minimizeScalar((x) => (x - 2) * x * (x + 2) ** 2).x // ≈ 1.28077640403
 * ```
 */
export function minimizeScalar(fun: (x: number, ...args: never[]) => number, options?: MinimizeScalarOptions): ScalarResult {
  const o = checkOptions(options, 'minimizeScalar', SCALAR_OPTIONS) as Record<string, unknown>
  const methodName = o.method ?? (o.bounds !== undefined && o.bounds !== null ? 'bounded' : 'brent')
  if (typeof methodName !== 'string') throw typeError('method', oneOf(SCALAR_METHODS), methodName)
  // SciPy matches method names ignoring case.
  const method = methodName.toLowerCase() as (typeof SCALAR_METHODS)[number]
  if (!SCALAR_METHODS.includes(method)) throw valueError('method', oneOf(SCALAR_METHODS), methodName)
  const bracket = o.bracket === undefined || o.bracket === null ? undefined : numbers(o.bracket, 'bracket', [2, 3])
  const bounds = o.bounds === undefined || o.bounds === null ? undefined : numbers(o.bounds, 'bounds', [2])
  if (bounds && method !== 'bounded') throw rangeErrorMessage(`Use of \`bounds\` is incompatible with 'method=${methodName}'.`, 'ERR_INVALID_ARG_VALUE')
  if (!bounds && method === 'bounded') throw rangeErrorMessage('The `bounds` parameter is mandatory for method `bounded`.', 'ERR_INVALID_ARG_VALUE')
  const tol = numberOption(o.tol, 'tol', undefined, { min: 0 })
  const opts = checkOptions(o.options, `minimizeScalar (method '${method}')`, SCALAR_METHOD_OPTIONS[method], 'options.options')
  const f = scalarFn(fun, argsOption(o.args), 'fun')
  const r = callNative(() => native.minimizeScalarExecute(f, {
    method,
    bracket,
    bounds,
    xtol: numberOption(opts.xtol, 'options.xtol', undefined, { min: 0 }) ?? (method === 'bounded' ? undefined : tol),
    xatol: numberOption(opts.xatol, 'options.xatol', undefined, { min: 0 }) ?? (method === 'bounded' ? tol : undefined),
    maxiter: intOption(opts.maxiter, 'options.maxiter', undefined, { min: 0 }),
  }))
  const out: ScalarResult = { x: r.x, fun: r.fun, nit: r.nit, nfev: r.nfev, success: r.success, message: r.message }
  if (r.status !== undefined && r.status !== null) out.status = r.status
  return out
}

/** Options of {@link rootScalar}. */
export interface RootScalarOptions {
  /** @default 'brentq' with a bracket; else, from x0, 'secant' when x1 is given without fprime, 'newton' otherwise (a finite-difference derivative without fprime), as SciPy */
  method?: 'brentq' | 'bisect' | 'newton' | 'secant'
  /** [a, b] with f(a) and f(b) of different signs (brentq, bisect). */
  bracket?: [number, number]
  /** Initial guess (newton, secant). */
  x0?: number
  /** Second initial guess (secant). @default x0·(1 + 1e-4) ± 1e-4, as SciPy */
  x1?: number
  /** The derivative f'(x) (newton); without it, 'newton' uses a finite-difference derivative. */
  fprime?: (x: number) => number
  /** Absolute tolerance. @default 2e-12 (brentq, bisect), 1.48e-8 (newton, secant) */
  xtol?: number
  /** Relative tolerance. @default 4·(machine epsilon) ≈ 8.88e-16 (brentq, bisect), 0 (newton, secant) */
  rtol?: number
  /** Maximum iterations. @default 100 (brentq, bisect), 50 (newton, secant) */
  maxiter?: number
  /** Extra arguments passed to f (and fprime) after x. */
  args?: unknown[]
}

/** scipy.optimize.RootResults. */
export interface RootResults {
  /** The estimated root. */
  root: number
  /** Iterations needed to find the root. */
  iterations: number
  /** Times f was called (SciPy's `function_calls`). */
  functionCalls: number
  /** Whether the root converged. */
  converged: boolean
  /** 'converged', 'convergence error', or a message naming where f was NaN. */
  flag: string
  /** The method used: 'brentq', 'bisect', 'newton' or 'secant'. */
  method: string
}

/**
 * Finds a root of a scalar function (scipy.optimize.root_scalar).
 *
 * @throws RangeError when a bracket's ends do not have different signs ("f(a) and f(b) must have different signs").
 * @example
 * ```ts
 * import { rootScalar } from 'musique/optimize'
 * rootScalar((x) => x ** 3 - 1, { bracket: [0, 3] }).root // 1
 * ```
 */
export function rootScalar(f: (x: number, ...args: never[]) => number, options?: RootScalarOptions): RootResults {
  return rootScalarChecked(f, checkOptions(options, 'rootScalar', ROOT_OPTIONS))
}

const ROOT_OPTIONS = ['method', 'bracket', 'x0', 'x1', 'fprime', 'xtol', 'rtol', 'maxiter', 'args'] as const
const BRENTQ_OPTIONS = ['xtol', 'rtol', 'maxiter', 'args'] as const
const ROOT_METHODS = ['brentq', 'bisect', 'newton', 'secant'] as const

/** root_scalar on options whose keys are known; every value is checked here. */
function rootScalarChecked(f: unknown, o: Record<string, unknown>): RootResults {
  const bracket = o.bracket === undefined || o.bracket === null ? undefined : numbers(o.bracket, 'bracket', [2])
  const x0 = numberOption(o.x0, 'x0')
  const x1 = numberOption(o.x1, 'x1')
  const fprime = functionOption(o.fprime, 'fprime')
  // SciPy's choice: brentq with a bracket, else newton from x0 (secant when x1 is given without fprime).
  const chosen = o.method ?? (bracket ? 'brentq' : x0 !== undefined ? (fprime || x1 === undefined ? 'newton' : 'secant') : undefined)
  if (chosen === undefined) throw rangeErrorMessage('Unable to select a solver as neither bracket nor starting point provided.', 'ERR_INVALID_ARG_VALUE')
  if (typeof chosen !== 'string') throw typeError('method', oneOf(ROOT_METHODS), chosen)
  const method = chosen.toLowerCase() as (typeof ROOT_METHODS)[number]
  if (!ROOT_METHODS.includes(method)) throw valueError('method', oneOf(ROOT_METHODS), chosen)
  if ((method === 'brentq' || method === 'bisect') && !bracket) throw rangeErrorMessage(`Bracket needed for ${chosen}`, 'ERR_INVALID_ARG_VALUE')
  if ((method === 'newton' || method === 'secant') && x0 === undefined) throw rangeErrorMessage(`x0 must not be None for ${chosen}`, 'ERR_INVALID_ARG_VALUE')
  const args = argsOption(o.args)
  const fn = scalarFn(f, args, 'f')
  const fp = fprime ? scalarFn(fprime, args, 'fprime') : undefined
  // xtol/rtol's lower limits depend on the method (xtol > 0, rtol ≥ 4·eps for brentq/bisect): SciPy's ValueError from musique-optimize.
  const xtol = numberOption(o.xtol, 'xtol')
  const rtol = numberOption(o.rtol, 'rtol')
  const maxiter = intOption(o.maxiter, 'maxiter', undefined, { min: 0 })
  return callNative(() => native.rootScalarExecute(fn, fp, { method, bracket, x0, x1, xtol, rtol, maxiter }))
}

/**
 * A root of f in [a, b] by Brent's method (scipy.optimize.brentq); f(a) and f(b) must differ in sign.
 *
 * @returns The root.
 * @throws RangeError (code 'ERR_INVALID_ARG_VALUE') "f(a) and f(b) must have different signs"; Error with code
 * 'ERR_NO_CONVERGENCE' (SciPy's RuntimeError) when it does not converge within maxiter.
 * @example
 * ```ts
 * import { brentq } from 'musique/optimize'
 * brentq((x) => x * x - 2, 0, 2) // 1.4142135623731364 (as SciPy; xtol 2e-12)
 * ```
 */
export function brentq(f: (x: number, ...args: never[]) => number, a: number, b: number, options?: { xtol?: number; rtol?: number; maxiter?: number; args?: unknown[] }): number {
  const o = checkOptions(options, 'brentq', BRENTQ_OPTIONS)
  if (typeof a !== 'number') throw typeError('a', 'a number', a)
  if (typeof b !== 'number') throw typeError('b', 'a number', b)
  const r = rootScalarChecked(f, { ...o, method: 'brentq', bracket: [a, b] })
  // SciPy's ValueError from _wrap_nan_raise: "The function value at x=0.0 is NaN; solver cannot continue."
  if (!r.converged && r.flag.includes('is NaN')) throw rangeErrorMessage(r.flag, 'ERR_INVALID_ARG_VALUE')
  if (!r.converged) {
    // SciPy's RuntimeError, with the code the binding gives its own (see fromNative).
    const err = new Error(`Failed to converge after ${r.iterations} iterations, value is ${r.root}.`)
    Object.defineProperty(err, 'code', { value: 'ERR_NO_CONVERGENCE', enumerable: false, writable: true, configurable: true })
    throw err
  }
  return r.root
}

// ================================================================ brute

/** Options of {@link brute}. */
export interface BruteOptions {
  /** Grid points per axis for [lo, hi] ranges. @default 20 */
  Ns?: number
  /** Parallel grid evaluation, as in differentialEvolution. @default 1 */
  workers?: OptimizeWorkers
  /** Local refinement from the best grid point: 'Nelder-Mead' (SciPy's fmin), a function, or null. @default 'Nelder-Mead' */
  finish?: 'Nelder-Mead' | null | ((func: (x: Float64Array) => number, x0: Float64Array) => Pick<OptimizeResult, 'x' | 'fun'>)
  /** Extra arguments passed to func after x. */
  args?: unknown[]
}

const BRUTE_OPTIONS = ['Ns', 'workers', 'finish', 'args'] as const

/** The result of {@link brute}: SciPy's (x0, fval, grid, Jout). */
export interface BruteResult {
  /** The minimizer: the best grid point, then refined by `finish` unless it is null (SciPy's `x0`). */
  x: Float64Array
  /** The objective's value at x (SciPy's `fval`). */
  fun: number
  /** The grid points, one row per point (N×prod(Ns)). */
  grid: NDArray<'float64'>
  /** f at each grid point. */
  jout: Float64Array
  /** Objective evaluations: the grid points plus those of `finish`. */
  nfev: number
}

/**
 * Minimizes over a grid, then refines (scipy.optimize.brute): each range
 * [lo, hi] gets Ns points including both ends.
 *
 * @example
 * ```ts
 * import { brute } from 'musique/optimize'
 * brute((x) => (x[0] - 1) ** 2 + (x[1] + 2) ** 2, [[-4, 4], [-4, 4]], { Ns: 9 }).x // ≈ [1, -2]
 * ```
 */
export function brute(func: Objective, ranges: [number, number][], options?: BruteOptions): BruteResult {
  const o = checkOptions(options, 'brute', BRUTE_OPTIONS) as BruteOptions
  const Ns = intOption(o.Ns, 'Ns', 20, { min: 2 })
  // SciPy's finish=None means no refinement: here null is not the default.
  const finish = o.finish === undefined ? 'Nelder-Mead' : o.finish
  if (finish !== null && finish !== 'Nelder-Mead' && typeof finish !== 'function') {
    const expected = "'Nelder-Mead', a function or null"
    throw typeof finish === 'string' ? valueError('finish', expected, finish) : typeError('finish', expected, finish)
  }
  const args = argsOption(o.args)
  if (!Array.isArray(ranges) || ranges.length === 0) throw typeError('ranges', 'an array of [lo, hi] pairs', ranges)
  const b = flatBounds(ranges, 'ranges')
  const n = ranges.length
  const total = Ns ** n
  if (total > 2 ** 27) throw rangeError('Ns', `a grid of at most 2**27 points (Ns**${n})`, Ns)
  const grid = new Float64Array(total * n)
  for (let k = 0; k < total; k++) {
    let r = k
    for (let j = n - 1; j >= 0; j--) {
      const i = r % Ns
      r = (r - i) / Ns
      const lo = b[2 * j]
      const hi = b[2 * j + 1]
      grid[k * n + j] = lo + ((hi - lo) * i) / (Ns - 1)
    }
  }
  const ev = evaluator(func, o.workers, args)
  try {
    const jout = ev.evalSync(grid, total, n)
    let best = 0
    for (let k = 1; k < total; k++) if (jout[k] < jout[best]) best = k
    let x = grid.slice(best * n, (best + 1) * n)
    let fun = jout[best]
    let nfev = total
    if (finish !== null) {
      const single = (xx: Float64Array) => ev.evalSync(xx, 1, n)[0]
      const r =
        typeof finish === 'function'
          ? finish(single, x)
          : minimizeCore((xs) => ev.evalSync(xs, xs.length / n, n), x, minimizeRequest(n, { method: 'Nelder-Mead' }))
      nfev += (r as Partial<OptimizeResult>).nfev ?? 0
      x = Float64Array.from(r.x)
      fun = r.fun
    }
    return { x, fun, grid: { data: grid, shape: [total, n], dtype: 'float64' }, jout, nfev }
  } finally {
    void ev.close()
  }
}
