// A pool of worker_threads that evaluate one objective, imported from a
// module, over batches of points: SciPy's `workers=Pool(n).map` for
// JavaScript. The points and results travel through SharedArrayBuffers and
// the workers are woken with Atomics, so a batch costs no structured clone,
// and the pool can be waited on synchronously (Atomics.wait, for the sync
// solvers) or asynchronously (Atomics.waitAsync, for the Promise forms).

import { pathToFileURL } from 'node:url'
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads'

import { checkOptions, rangeError, typeError, typeErrorMessage } from './internal/errors'
import { intOption } from './internal/options'
import { resolveThreads } from './workers'

/** An objective given by reference, so worker threads can import it: `{ module, export }`. */
export interface ModuleFunction {
  /** The module: a file URL, a `file:` URL string, an absolute path, or a package name. */
  module: string | URL
  /** The export to call, `(x: Float64Array) => number`. @default 'default' */
  export?: string
}

/** Which function a {@link WorkerPool} batch evaluates, and how many values it returns per point. */
export interface MapOptions {
  /** A function other than the pool's objective (imported by every worker on first use). @default pool.objective */
  fn?: ModuleFunction
  /** Values per point: 1 for a number, m for an array of m numbers. @default 1 */
  width?: number
}

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** Number of worker threads, resolved as `workers` is (-1 every CPU, other negatives wrap; capped at the CPUs). @default os.availableParallelism() */
  size?: number
  /**
   * Linalg threads inside each worker (threadpoolLimits' 'blas'), so that
   * workers × linalg threads do not oversubscribe the cores. `null` leaves
   * Musique's default (every core). @default 1
   */
  linalgThreads?: number | null
}

const WORKER_POOL_OPTIONS = ['size', 'linalgThreads'] as const
const MAP_OPTIONS = ['fn', 'width'] as const

// Atomics.waitAsync is in Node ≥ 16 (V8); TypeScript lists it from lib es2024 only.
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number, t?: number): { value: Promise<string> | string } }).waitAsync

// Per-worker control words in one Int32Array.
const SEQ = 0 // job number, written by the main thread (-1: close)
const START = 1
const COUNT = 2
const DONE = 3 // the job number the worker finished
const READY = 4 // 1: module loaded, 2: loading failed
const FAILED = 5 // 1: the last job threw (the error is on the port)
const FN = 6 // which function: 0 the pool's objective, others registered with `mapSync`/`map`
const WIDTH = 7 // values per point (-1: post the first point's value on the port, to learn its length)
const WORDS = 8

const WORKER = `
'use strict'
const { workerData, receiveMessageOnPort } = require('node:worker_threads')
const { ctrl: ctrlBuffer, port, base, module: spec, exportName, limits } = workerData
if (limits) globalThis[Symbol.for('musique.defaultLimits')] = limits
const ctrl = new Int32Array(ctrlBuffer)
const SEQ = base + ${SEQ}, START = base + ${START}, COUNT = base + ${COUNT}, DONE = base + ${DONE}, READY = base + ${READY}, FAILED = base + ${FAILED}, FN = base + ${FN}, WIDTH = base + ${WIDTH}
const serialize = (e) => e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : { name: 'Error', message: String(e) }
const load = async (spec, exportName, what) => {
  const m = await import(spec)
  const fn = exportName === 'default' ? (typeof m.default === 'function' ? m.default : m.default?.default) : (m[exportName] ?? m.default?.[exportName])
  if (typeof fn !== 'function') throw new TypeError(what + '.export ' + JSON.stringify(exportName) + ' of ' + spec + ' must be a function; got ' + typeof fn)
  return fn
}
;(async () => {
  const fns = []
  let table = [[spec, exportName]]
  try {
    fns[0] = await load(spec, exportName, 'objective')
  } catch (e) {
    port.postMessage({ error: serialize(e) })
    Atomics.store(ctrl, READY, 2)
    Atomics.notify(ctrl, READY)
    return
  }
  Atomics.store(ctrl, READY, 1)
  Atomics.notify(ctrl, READY)
  let seen = 0, xs, out, dim = 0
  for (;;) {
    Atomics.wait(ctrl, SEQ, seen)
    const seq = Atomics.load(ctrl, SEQ)
    if (seq < 0) break
    seen = seq
    for (let m; (m = receiveMessageOnPort(port)); ) {
      if (m.message.fns) table = m.message.fns
      else { xs = new Float64Array(m.message.xs); out = new Float64Array(m.message.out); dim = m.message.dim }
    }
    const start = Atomics.load(ctrl, START), count = Atomics.load(ctrl, COUNT), f = Atomics.load(ctrl, FN), width = Atomics.load(ctrl, WIDTH)
    try {
      if (!fns[f]) fns[f] = await load(table[f][0], table[f][1], 'fun')
      const fn = fns[f]
      for (let i = start; i < start + count; i++) {
        let v = fn(xs.slice(i * dim, (i + 1) * dim))
        if (v !== null && typeof v === 'object' && typeof v.then === 'function') v = await v
        if (width < 0) {
          port.postMessage({ value: typeof v === 'number' ? v : Array.from(v) })
          break
        }
        if (typeof v === 'number' && width === 1) out[i] = v
        else if (f !== 0 && v !== null && typeof v === 'object' && v.length === width) for (let k = 0; k < width; k++) out[i * width + k] = v[k]
        else if (f === 0) throw new TypeError('the objective must return a number; got ' + (v === null ? 'null' : typeof v))
        else throw new TypeError('a NonlinearConstraint fun must return ' + (width === 1 ? 'a number' : width + ' numbers') + ' for every point; got ' + (v === null ? 'null' : typeof v === 'object' ? v.length + ' values' : typeof v))
      }
      Atomics.store(ctrl, FAILED, 0)
    } catch (e) {
      port.postMessage({ error: serialize(e) })
      Atomics.store(ctrl, FAILED, 1)
    }
    Atomics.store(ctrl, DONE, seq)
    Atomics.notify(ctrl, DONE)
  }
})()
`

function moduleSpecifier(m: unknown): string {
  if (m instanceof URL) return m.href
  if (typeof m !== 'string' || m === '') throw typeError('objective.module', 'a module URL, an absolute path or a package name', m)
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(m) && !/^[a-zA-Z]:[\\/]/.test(m)) return m
  if (m.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(m) || m.startsWith('\\\\')) return pathToFileURL(m).href
  if (m.startsWith('.')) throw rangeError('objective.module', 'an absolute path or URL (a relative path has no base in a worker thread)', m)
  return m
}

/** Whether `x` is a `{ module, export }` objective reference. */
export function isModuleFunction(x: unknown): x is ModuleFunction {
  return x !== null && typeof x === 'object' && 'module' in x
}

function rebuild(e: { name: string; message: string; stack?: string }): Error {
  const err: Error = e.name === 'TypeError' ? new TypeError(e.message) : e.name === 'RangeError' ? new RangeError(e.message) : new Error(e.message)
  if (err.constructor === Error && e.name !== 'Error') err.name = e.name
  if (e.stack) err.stack = e.stack
  return err
}

/**
 * worker_threads that evaluate one objective over batches of points, for
 * `differentialEvolution`'s and `brute`'s `workers` (and `minimize`'s
 * `options.workers`). Create one and pass it as `workers` to share it across
 * solves; Musique otherwise builds one per solve and closes it at the end.
 * The threads are unref'd: an open pool does not keep the process alive.
 *
 * Each worker imports the module once and calls its export with one point
 * (a Float64Array) at a time. Inside the workers, linalg runs on one thread
 * by default so workers × linalg threads never oversubscribe the cores.
 *
 * @example
 * ```ts
 * import { WorkerPool, differentialEvolution } from 'musique/optimize'
 * const pool = new WorkerPool({ module: new URL('./objective.mjs', import.meta.url), export: 'cost' }, { size: 4 })
 * const r1 = differentialEvolution(pool.objective, bounds, { workers: pool })
 * const r2 = differentialEvolution(pool.objective, otherBounds, { workers: pool })
 * await pool.close()
 * ```
 */
export class WorkerPool {
  /** Number of worker threads. */
  readonly size: number
  /** The objective reference this pool evaluates. */
  readonly objective: ModuleFunction
  private readonly workers: Worker[] = []
  private readonly ports: MessagePort[] = []
  private readonly ctrl: Int32Array
  private seq = 0
  private capacity = 0
  private dim = 0
  private xs: Float64Array<ArrayBufferLike> = new Float64Array(0)
  private out: Float64Array<ArrayBufferLike> = new Float64Array(0)
  private ready = false
  private closed = false
  private busy = false
  /** [specifier, export] of every function the workers may call; index 0 is the objective. */
  private readonly fns: [string, string][] = []

  constructor(objective: ModuleFunction, options?: WorkerPoolOptions) {
    const o = checkOptions(options, 'WorkerPool', WORKER_POOL_OPTIONS) as WorkerPoolOptions
    if (!isModuleFunction(objective)) throw typeError('objective', 'a { module, export } reference', objective)
    const spec = moduleSpecifier(objective.module)
    const exportName = objective.export ?? 'default'
    if (typeof exportName !== 'string') throw typeError('objective.export', 'a string', exportName)
    const size = resolveThreads(o.size, 'size')
    // null is not the default here: it leaves Musique's own linalg default in the workers.
    const linalgThreads = o.linalgThreads === null ? null : intOption(o.linalgThreads, 'linalgThreads', 1, { min: 1 })
    this.size = size
    this.objective = { module: objective.module, export: exportName }
    this.fns.push([spec, exportName])
    this.ctrl = new Int32Array(new SharedArrayBuffer(4 * WORDS * size))
    for (let w = 0; w < size; w++) {
      const { port1, port2 } = new MessageChannel()
      const worker = new Worker(WORKER, {
        eval: true,
        workerData: { ctrl: this.ctrl.buffer, port: port2, base: w * WORDS, module: spec, exportName, limits: linalgThreads === null ? null : { blas: linalgThreads } },
        transferList: [port2],
      })
      worker.unref()
      port1.unref()
      this.workers.push(worker)
      this.ports.push(port1)
    }
  }

  private readyError(w: number): Error {
    const m = receiveMessageOnPort(this.ports[w])
    return m ? rebuild(m.message.error) : new Error('a worker of the pool failed to start')
  }

  private waitReadySync(): void {
    if (this.ready) return
    for (let w = 0; w < this.size; w++) {
      const i = w * WORDS + READY
      while (Atomics.load(this.ctrl, i) === 0) Atomics.wait(this.ctrl, i, 0, 50)
      if (Atomics.load(this.ctrl, i) === 2) throw this.readyError(w)
    }
    this.ready = true
  }

  private async waitReady(): Promise<void> {
    if (this.ready) return
    for (let w = 0; w < this.size; w++) {
      const i = w * WORDS + READY
      while (Atomics.load(this.ctrl, i) === 0) await waitAsync(this.ctrl, i, 0, 50).value
      if (Atomics.load(this.ctrl, i) === 2) throw this.readyError(w)
    }
    this.ready = true
  }

  /** The index of `fn` in the workers' function table, registering it (and telling the workers) when new. */
  private fnIndex(fn: ModuleFunction | undefined): number {
    if (fn === undefined) return 0
    if (!isModuleFunction(fn)) throw typeError('fn', 'a { module, export } reference', fn)
    const spec = moduleSpecifier(fn.module)
    const exportName = fn.export ?? 'default'
    if (typeof exportName !== 'string') throw typeError('fn.export', 'a string', exportName)
    let i = this.fns.findIndex(([s, e]) => s === spec && e === exportName)
    if (i < 0) {
      i = this.fns.push([spec, exportName]) - 1
      for (const port of this.ports) port.postMessage({ fns: this.fns })
    }
    return i
  }

  /** Copies the batch in and wakes one worker per chunk; returns the workers used. */
  private dispatch(xs: Float64Array, count: number, dim: number, fn: number, width: number): number[] {
    if (this.closed) throw new Error('the WorkerPool is closed')
    if (xs.length !== count * dim) throw rangeError('xs', `${count * dim} values (${count} points of ${dim})`, xs)
    const outLength = count * Math.max(1, width)
    if (count > this.capacity || dim !== this.dim || this.xs.length < count * dim || this.out.length < outLength) {
      this.capacity = Math.max(count, 2 * this.capacity)
      this.dim = dim
      this.xs = new Float64Array(new SharedArrayBuffer(8 * Math.max(1, this.capacity * dim)))
      this.out = new Float64Array(new SharedArrayBuffer(8 * Math.max(1, this.capacity * Math.max(1, width))))
      for (const port of this.ports) port.postMessage({ xs: this.xs.buffer, out: this.out.buffer, dim })
    }
    this.xs.set(xs)
    this.seq++
    const used: number[] = []
    const per = Math.ceil(count / this.size)
    for (let w = 0; w < this.size; w++) {
      const start = w * per
      const n = Math.min(per, count - start)
      if (n <= 0) break
      const base = w * WORDS
      Atomics.store(this.ctrl, base + START, start)
      Atomics.store(this.ctrl, base + COUNT, n)
      Atomics.store(this.ctrl, base + FN, fn)
      Atomics.store(this.ctrl, base + WIDTH, width)
      Atomics.store(this.ctrl, base + SEQ, this.seq)
      Atomics.notify(this.ctrl, base + SEQ)
      used.push(w)
    }
    return used
  }

  private collect(used: number[], count: number, width: number): Float64Array {
    for (const w of used) {
      if (Atomics.load(this.ctrl, w * WORDS + FAILED) === 1) {
        const m = receiveMessageOnPort(this.ports[w])
        throw m ? rebuild(m.message.error) : new Error('the objective threw in a worker')
      }
    }
    return Float64Array.from(this.out.subarray(0, count * width))
  }

  private enter(): void {
    if (this.busy) throw new Error('the WorkerPool is evaluating another batch; a pool serves one batch at a time')
    this.busy = true
  }

  private static width(options: MapOptions | undefined): number {
    return intOption(checkOptions(options, 'WorkerPool.map', MAP_OPTIONS).width, 'width', 1, { min: 1 })
  }

  /**
   * f at each of `count` points (rows of `xs`, `dim` values each), blocking
   * the calling thread until the workers are done. With `options.fn`, that
   * function instead, returning `options.width` values per point (row-major).
   */
  mapSync(xs: Float64Array, count: number, dim: number, options?: MapOptions): Float64Array {
    const width = WorkerPool.width(options)
    this.enter()
    try {
      this.waitReadySync()
      const fn = this.fnIndex(options?.fn)
      const used = this.dispatch(xs, count, dim, fn, width)
      this.waitSync(used)
      return this.collect(used, count, width)
    } finally {
      this.busy = false
    }
  }

  /** The same, without blocking: the event loop keeps running while the workers compute. */
  async map(xs: Float64Array, count: number, dim: number, options?: MapOptions): Promise<Float64Array> {
    const width = WorkerPool.width(options)
    this.enter()
    // Atomics.waitAsync holds no handle and the workers are unref'd: without this,
    // a process with nothing else to do would exit in the middle of the batch.
    for (const worker of this.workers) worker.ref()
    try {
      await this.waitReady()
      const fn = this.fnIndex(options?.fn)
      const used = this.dispatch(xs, count, dim, fn, width)
      for (const w of used) {
        const i = w * WORDS + DONE
        for (let d; (d = Atomics.load(this.ctrl, i)) !== this.seq; ) await waitAsync(this.ctrl, i, d, 50).value
      }
      return this.collect(used, count, width)
    } finally {
      for (const worker of this.workers) worker.unref()
      this.busy = false
    }
  }

  /**
   * `fn` at one point, as it returned it (a number or an array of numbers),
   * evaluated by one worker: how a caller learns how many values a function
   * returns before mapping it.
   */
  callSync(fn: ModuleFunction, x: ArrayLike<number>): number | number[] {
    this.enter()
    try {
      this.waitReadySync()
      const xs = Float64Array.from(x)
      const used = this.dispatch(xs, 1, xs.length, this.fnIndex(fn), -1)
      this.waitSync(used)
      this.collect(used, 1, 0)
      const m = receiveMessageOnPort(this.ports[used[0]])
      const v: unknown = m?.message.value
      if (typeof v === 'number' || (Array.isArray(v) && v.every((e) => typeof e === 'number'))) return v as number | number[]
      throw typeErrorMessage(`a NonlinearConstraint fun must return a number or an array of numbers; got ${v === null ? 'null' : typeof v}`)
    } finally {
      this.busy = false
    }
  }

  private waitSync(used: number[]): void {
    for (const w of used) {
      const i = w * WORDS + DONE
      for (let d; (d = Atomics.load(this.ctrl, i)) !== this.seq; ) Atomics.wait(this.ctrl, i, d, 50)
    }
  }

  /** Stops the worker threads. Further calls throw. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (let w = 0; w < this.size; w++) {
      Atomics.store(this.ctrl, w * WORDS + SEQ, -1)
      Atomics.notify(this.ctrl, w * WORDS + SEQ)
    }
    await Promise.all(this.workers.map((worker) => worker.terminate()))
    for (const port of this.ports) port.close()
  }
}
