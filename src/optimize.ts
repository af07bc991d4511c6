// musique/optimize: scipy.optimize's differential_evolution (with workers),
// local minimizers, scalar methods, brute, and scipy.stats.qmc's samplers.
//
// The algorithms run in Rust (musique-optimize). Differential evolution is an
// ask/tell engine driven from here, so the objective can run wherever
// `workers` says — this thread, worker_threads importing it by reference, a
// map-like function, or (for Musique's own test functions) Rust's threads —
// and the Promise form awaits between generations.

export { Halton, LatinHypercube, QMCEngine, Sobol, type QmcOptions } from './qmc'
export { WorkerPool, type MapOptions, type ModuleFunction, type WorkerPoolOptions } from './workerpool'
export type { MapLike, OptimizeWorkers } from './internal/evaluate'

export { ackley, eggholder, griewank, rastrigin, rosen, sphere, styblinskiTang } from './optimize/functions'
export { Bounds, type BoundsInput, LinearConstraint, NonlinearConstraint } from './optimize/constraints'
export { type DifferentialEvolutionResult, type IntermediateResult, type OptimizeResult } from './optimize/results'
export { type Objective } from './optimize/common'
export { approxFprime, minimize, type MinimizeMethod, type MinimizeOptions } from './optimize/minimize'
export { differentialEvolution, differentialEvolutionAsync, type DifferentialEvolutionOptions, type PolishFunction, type StrategyFunction, type StrategyName } from './optimize/de'
export { brentq, minimizeScalar, type MinimizeScalarOptions, type RootResults, rootScalar, type RootScalarOptions, type ScalarResult } from './optimize/scalar'
export { brute, type BruteOptions, type BruteResult } from './optimize/brute'
