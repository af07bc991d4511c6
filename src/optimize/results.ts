// musique/optimize/results: the result objects the optimizers return.

import native = require('../internal/native')
import type { NDArray } from '../ndarray'

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

export function mat(flat: Float64Array, cols: number): NDArray<'float64'> {
  return { data: flat, shape: [cols === 0 ? 0 : flat.length / cols, cols], dtype: 'float64' }
}

export type DeResultNative = ReturnType<InstanceType<typeof native.DeSolver>['outcome']>

export function deResult(r: DeResultNative, dim: number): DifferentialEvolutionResult {
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
