// musique/optimize/de: differential evolution: the ask/tell engine driven from here, sync and async.

import { setImmediate as turn } from 'node:timers/promises'

import { checkSignal, untilAbort, withAbort } from '../internal/async'
import { abortError, callNative, checkOptions, rangeError, rangeErrorMessage, typeError, typeErrorMessage, valueError } from '../internal/errors'
import { evaluator, type Evaluator, type OptimizeWorkers, rows } from '../internal/evaluate'
import native = require('../internal/native')
import { boolOption, enumOption, functionOption, intOption, numberOption } from '../internal/options'
import { type ArrayInput, type NDArray, readFloat64 } from '../ndarray'
import { checkSeed } from '../qmc'
import { isModuleFunction, WorkerPool } from '../workerpool'
import { argsOption, type Objective } from './common'
import { Bounds, type BoundsInput, broadcast, flatBounds, LinearConstraint, NonlinearConstraint } from './constraints'
import { minimizeCore, minimizeRequest } from './minimize'
import { deResult, type DeResultNative, type DifferentialEvolutionResult, type IntermediateResult, mat, type OptimizeResult } from './results'

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
