// A pool of worker_threads that evaluate one objective, imported from a
// module, over batches of points: SciPy's `workers=Pool(n).map` for
// JavaScript. The points and results travel through SharedArrayBuffers and
// the workers are woken with Atomics, so a batch costs no structured clone,
// and the pool can be waited on synchronously (Atomics.wait, for the sync
// solvers) or asynchronously (Atomics.waitAsync, for the Promise forms).

import { pathToFileURL } from 'node:url'
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads'

import { onAbort } from './internal/async'
import { abortError, checkOptions, rangeError, typeError, typeErrorMessage } from './internal/errors'
import { numberOption } from './internal/options'
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
  /** `map` only: rejects with the signal's reason when it aborts, terminating (and replacing) the workers still evaluating. */
  signal?: AbortSignal
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
  /**
   * Milliseconds a worker may spend on one point (or on loading the module)
   * before the batch fails with an Error of code 'ERR_WORKER_TIMEOUT'; the
   * stuck worker is terminated and replaced. `null`: no limit. @default null
   */
  timeout?: number | null
}

const WORKER_POOL_OPTIONS = ['size', 'linalgThreads', 'timeout'] as const
const MAP_OPTIONS = ['fn', 'width', 'signal'] as const

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
const EXITED = 8 // 1: the worker's thread is ending (process.exit, an uncaught error) or ended
const EXIT_CODE = 9
const PROGRESS = 10 // points evaluated so far, for `timeout`
const WORDS = 11

// The worker: imports the function, then evaluates chunks of points when its SEQ word moves. Its exit
// (process.exit anywhere, or an uncaught error, which is turned into one) is written to EXITED before the
// thread ends, so that a main thread blocked in Atomics.wait sees it without its event loop.
const WORKER = `
'use strict'
const { workerData, receiveMessageOnPort } = require('node:worker_threads')
const { ctrl: ctrlBuffer, port, base, module: spec, exportName, limits } = workerData
if (limits) globalThis[Symbol.for('musique.defaultLimits')] = limits
const ctrl = new Int32Array(ctrlBuffer)
const SEQ = base + ${SEQ}, START = base + ${START}, COUNT = base + ${COUNT}, DONE = base + ${DONE}, READY = base + ${READY}, FAILED = base + ${FAILED}, FN = base + ${FN}, WIDTH = base + ${WIDTH}, EXITED = base + ${EXITED}, EXIT_CODE = base + ${EXIT_CODE}, PROGRESS = base + ${PROGRESS}
const serialize = (e) => e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : { name: 'Error', message: String(e) }
process.on('uncaughtException', (e) => {
  port.postMessage({ fatal: serialize(e) })
  process.exit(1)
})
process.on('exit', (code) => {
  Atomics.store(ctrl, EXIT_CODE, code | 0)
  Atomics.store(ctrl, EXITED, 1)
  Atomics.notify(ctrl, DONE)
  Atomics.notify(ctrl, READY)
})
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
        Atomics.add(ctrl, PROGRESS, 1)
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
 * A call never waits forever: a worker that exits (process.exit at import or
 * while evaluating, an uncaught error) fails the batch with an Error of code
 * 'ERR_WORKER_EXITED' naming the module, `timeout` bounds each evaluation
 * ('ERR_WORKER_TIMEOUT'), `map`'s `signal` aborts, and `close()` rejects the
 * batch in flight. The worker is terminated and replaced for later calls.
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
  /** Milliseconds a worker may spend on one point, or null. */
  readonly timeout: number | null
  private readonly workers: Worker[] = []
  private readonly ports: MessagePort[] = []
  private readonly ctrl: Int32Array
  private readonly linalgThreads: number | null
  private seq = 0
  private capacity = 0
  private dim = 0
  private xs: Float64Array<ArrayBufferLike> = new Float64Array(0)
  private out: Float64Array<ArrayBufferLike> = new Float64Array(0)
  private closed = false
  private busy = false
  /** Workers terminated, to be replaced when the next batch starts. */
  private readonly retired = new Set<number>()
  /** True while map() runs: the workers are ref'd. */
  private holding = false
  /** Per worker: its PROGRESS word when last seen to move, and when (performance.now()). */
  private readonly progress: number[] = []
  private readonly since: number[] = []
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
    this.linalgThreads = o.linalgThreads === null ? null : intOption(o.linalgThreads, 'linalgThreads', 1, { min: 1 })
    this.timeout = numberOption(o.timeout, 'timeout', undefined, { min: 0, exclusiveMin: true }) ?? null
    this.size = size
    this.objective = { module: objective.module, export: exportName }
    this.fns.push([spec, exportName])
    this.ctrl = new Int32Array(new SharedArrayBuffer(4 * WORDS * size))
    for (let w = 0; w < size; w++) this.spawn(w)
  }

  /** The objective as messages name it: its module, and its export when not the default. */
  private get label(): string {
    const [spec, name] = this.fns[0]
    return name === 'default' ? spec : `${spec} (export '${name}')`
  }

  /** Starts worker `w` (again, after one died or was terminated), with the function table and buffers it needs. */
  private spawn(w: number): void {
    const base = w * WORDS
    for (let k = 0; k < WORDS; k++) Atomics.store(this.ctrl, base + k, 0)
    const { port1, port2 } = new MessageChannel()
    const [spec, exportName] = this.fns[0]
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { ctrl: this.ctrl.buffer, port: port2, base, module: spec, exportName, limits: this.linalgThreads === null ? null : { blas: this.linalgThreads } },
      transferList: [port2],
    })
    // A thread that ended without running its exit handler (out of memory, say): the async waits see it here.
    worker.on('exit', (code) => {
      if (this.workers[w] !== worker || Atomics.load(this.ctrl, base + EXITED) === 1) return
      Atomics.store(this.ctrl, base + EXIT_CODE, code)
      Atomics.store(this.ctrl, base + EXITED, 1)
      Atomics.notify(this.ctrl, base + DONE)
      Atomics.notify(this.ctrl, base + READY)
    })
    // Errors are read from the port and the control words; an unheard 'error' event would end the process.
    worker.on('error', () => {})
    // Inside map() the workers hold the process open (see there), replacements included.
    if (!this.holding) worker.unref()
    port1.unref()
    this.workers[w] = worker
    this.ports[w] = port1
    this.progress[w] = 0
    this.since[w] = performance.now()
    if (this.fns.length > 1) port1.postMessage({ fns: this.fns })
    if (this.capacity > 0) port1.postMessage({ xs: this.xs.buffer, out: this.out.buffer, dim: this.dim })
  }

  /**
   * Terminates worker `w` (stuck, dead, or busy when a batch was given up);
   * a fresh one takes its place when the next batch starts, so an abort or
   * a close right after starts no thread.
   */
  private retire(w: number): void {
    void this.workers[w].terminate()
    this.retired.add(w)
  }

  /** Everything the worker left on its port: a fatal error, when there is one. */
  private drain(w: number): { fatal?: Error; error?: Error } {
    const out: { fatal?: Error; error?: Error } = {}
    for (let m; (m = receiveMessageOnPort(this.ports[w])); ) {
      if (m.message.fatal) out.fatal = rebuild(m.message.fatal)
      else if (m.message.error) out.error = rebuild(m.message.error)
    }
    return out
  }

  /** The error for worker `w`, which exited; the worker is replaced for later calls. */
  private exitError(w: number, when: string): Error {
    const code = Atomics.load(this.ctrl, w * WORDS + EXIT_CODE)
    const { fatal } = this.drain(w)
    const why = fatal ? `an uncaught ${fatal.name}: ${fatal.message}` : `exit code ${code}`
    const err = new Error(`a worker of the WorkerPool for ${this.label} exited ${when} (${why})`)
    Object.defineProperty(err, 'code', { value: 'ERR_WORKER_EXITED', enumerable: false, writable: true, configurable: true })
    if (fatal) err.cause = fatal
    this.retire(w)
    return err
  }

  private timeoutError(w: number, what: string): Error {
    const err = new Error(`${this.label} took longer than timeout = ${this.timeout} ms ${what}; its worker was terminated`)
    Object.defineProperty(err, 'code', { value: 'ERR_WORKER_TIMEOUT', enumerable: false, writable: true, configurable: true })
    this.retire(w)
    return err
  }

  /** Whether worker `w`'s PROGRESS word stood still for longer than `timeout`. */
  private stalled(w: number, now: number): boolean {
    if (this.timeout === null) return false
    const p = Atomics.load(this.ctrl, w * WORDS + PROGRESS)
    if (p !== this.progress[w]) {
      this.progress[w] = p
      this.since[w] = now
      return false
    }
    return now - this.since[w] > this.timeout
  }

  /** One look at the workers' loading: true when all have loaded; throws (and replaces the worker) when one cannot. */
  private readyNow(now: number): boolean {
    if (this.closed) throw closedError()
    let all = true
    for (let w = 0; w < this.size; w++) {
      const base = w * WORDS
      const state = Atomics.load(this.ctrl, base + READY)
      if (state === 1) continue
      if (state === 2) {
        const { error } = this.drain(w)
        this.retire(w)
        throw error ?? new Error(`a worker of the WorkerPool for ${this.label} failed to load it`)
      }
      if (Atomics.load(this.ctrl, base + EXITED) === 1) throw this.exitError(w, 'while loading the module')
      if (this.stalled(w, now)) throw this.timeoutError(w, 'to load')
      all = false
    }
    return all
  }

  /** One look at the batch: true when every worker used is done. A dead, stuck or aborted batch throws, its busy workers replaced. */
  private doneNow(used: number[], now: number, signal?: AbortSignal): boolean {
    const pending = used.filter((w) => Atomics.load(this.ctrl, w * WORDS + DONE) !== this.seq)
    if (pending.length === 0) return true
    const fail = (err: unknown): never => {
      // Workers still on this batch would write into the next one's results: they go too.
      for (const w of pending) if (Atomics.load(this.ctrl, w * WORDS + DONE) !== this.seq) this.retire(w)
      throw err
    }
    if (this.closed) throw closedError()
    if (signal?.aborted) fail(abortError(signal))
    for (const w of pending) {
      if (Atomics.load(this.ctrl, w * WORDS + EXITED) === 1) fail(this.exitError(w, 'while evaluating'))
      if (this.stalled(w, now)) fail(this.timeoutError(w, 'to evaluate one point'))
    }
    return false
  }

  /** Blocks until `done(now)` is true (it throws to give up), waking at `index`'s changes or every 50 ms. */
  private waitSync(done: (now: number) => boolean, index: () => number): void {
    while (!done(performance.now())) {
      const i = index()
      Atomics.wait(this.ctrl, i, Atomics.load(this.ctrl, i), 50)
    }
  }

  private async waitAsync(done: (now: number) => boolean, index: () => number): Promise<void> {
    while (!done(performance.now())) {
      const i = index()
      await waitAsync(this.ctrl, i, Atomics.load(this.ctrl, i), 50).value
    }
  }

  /** The READY word of the first worker still loading (what the waits sleep on). */
  private loadingIndex(): number {
    for (let w = 0; w < this.size; w++) if (Atomics.load(this.ctrl, w * WORDS + READY) === 0) return w * WORDS + READY
    return READY
  }

  private pendingIndex(used: number[]): number {
    for (const w of used) if (Atomics.load(this.ctrl, w * WORDS + DONE) !== this.seq) return w * WORDS + DONE
    return used[0] * WORDS + DONE
  }

  /** Starts fresh workers in place of those retired or dead since the last batch (a timer calling process.exit, say). */
  private reviveIdle(): void {
    for (let w = 0; w < this.size; w++) {
      if (this.retired.has(w) || Atomics.load(this.ctrl, w * WORDS + EXITED) === 1) {
        if (!this.retired.has(w)) void this.workers[w].terminate()
        this.retired.delete(w)
        this.ports[w].close()
        this.spawn(w)
      }
    }
  }

  private startLoading(): void {
    this.reviveIdle()
    const now = performance.now()
    for (let w = 0; w < this.size; w++) this.since[w] = now
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
    if (this.closed) throw closedError()
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
    const now = performance.now()
    for (let w = 0; w < this.size; w++) {
      const start = w * per
      const n = Math.min(per, count - start)
      if (n <= 0) break
      const base = w * WORDS
      Atomics.store(this.ctrl, base + START, start)
      Atomics.store(this.ctrl, base + COUNT, n)
      Atomics.store(this.ctrl, base + FN, fn)
      Atomics.store(this.ctrl, base + WIDTH, width)
      this.progress[w] = Atomics.load(this.ctrl, base + PROGRESS)
      this.since[w] = now
      Atomics.store(this.ctrl, base + SEQ, this.seq)
      Atomics.notify(this.ctrl, base + SEQ)
      used.push(w)
    }
    return used
  }

  private collect(used: number[], count: number, width: number): Float64Array {
    for (const w of used) {
      if (Atomics.load(this.ctrl, w * WORDS + FAILED) === 1) {
        const { error } = this.drain(w)
        throw error ?? new Error(`${this.label} threw in a worker`)
      }
    }
    return Float64Array.from(this.out.subarray(0, count * width))
  }

  private enter(): void {
    if (this.closed) throw closedError()
    if (this.busy) throw new Error('the WorkerPool is evaluating another batch; a pool serves one batch at a time')
    this.busy = true
  }

  private static mapOptions(options: MapOptions | undefined): { width: number; signal?: AbortSignal } {
    const o = checkOptions(options, 'WorkerPool.map', MAP_OPTIONS) as MapOptions
    const width = intOption(o.width, 'width', 1, { min: 1 })
    if (o.signal !== undefined && o.signal !== null && !(o.signal instanceof AbortSignal)) throw typeError('signal', 'an AbortSignal', o.signal)
    return { width, signal: o.signal ?? undefined }
  }

  /**
   * f at each of `count` points (rows of `xs`, `dim` values each), blocking
   * the calling thread until the workers are done. With `options.fn`, that
   * function instead, returning `options.width` values per point (row-major).
   *
   * @throws Error 'the WorkerPool is closed'; the function's own error; Error with code
   * 'ERR_WORKER_EXITED' (naming the module) when a worker exits, or 'ERR_WORKER_TIMEOUT'
   * past `timeout`. A worker that exited or timed out is replaced for later calls.
   */
  mapSync(xs: Float64Array, count: number, dim: number, options?: MapOptions): Float64Array {
    const { width } = WorkerPool.mapOptions(options)
    this.enter()
    try {
      this.startLoading()
      this.waitSync((now) => this.readyNow(now), () => this.loadingIndex())
      const fn = this.fnIndex(options?.fn)
      const used = this.dispatch(xs, count, dim, fn, width)
      this.waitSync((now) => this.doneNow(used, now), () => this.pendingIndex(used))
      return this.collect(used, count, width)
    } finally {
      this.busy = false
    }
  }

  /**
   * The same, without blocking: the event loop keeps running while the workers compute.
   * Rejects as {@link WorkerPool.mapSync} throws, when the pool is closed during the batch,
   * and with `options.signal`'s reason when it aborts (terminating the workers still busy).
   */
  async map(xs: Float64Array, count: number, dim: number, options?: MapOptions): Promise<Float64Array> {
    const { width, signal } = WorkerPool.mapOptions(options)
    if (signal?.aborted) throw abortError(signal)
    this.enter()
    // Atomics.waitAsync holds no handle and the workers are unref'd: without this,
    // a process with nothing else to do would exit in the middle of the batch.
    this.holding = true
    for (const worker of this.workers) worker.ref()
    let wake: number | undefined
    // An abort wakes the wait at once instead of at its next 50 ms tick.
    const stop = signal ? onAbort(signal, () => wake !== undefined && Atomics.notify(this.ctrl, wake)) : undefined
    try {
      this.startLoading()
      await this.waitAsync(
        (now) => {
          if (signal?.aborted) throw abortError(signal)
          return this.readyNow(now)
        },
        () => (wake = this.loadingIndex()),
      )
      const fn = this.fnIndex(options?.fn)
      const used = this.dispatch(xs, count, dim, fn, width)
      await this.waitAsync(
        (now) => this.doneNow(used, now, signal),
        () => (wake = this.pendingIndex(used)),
      )
      return this.collect(used, count, width)
    } finally {
      stop?.()
      this.holding = false
      // After close() the workers stay ref'd until they have exited (close awaits that).
      if (!this.closed) for (const worker of this.workers) worker.unref()
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
      this.startLoading()
      this.waitSync((now) => this.readyNow(now), () => this.loadingIndex())
      const xs = Float64Array.from(x)
      const used = this.dispatch(xs, 1, xs.length, this.fnIndex(fn), -1)
      this.waitSync((now) => this.doneNow(used, now), () => this.pendingIndex(used))
      this.collect(used, 1, 0)
      const m = receiveMessageOnPort(this.ports[used[0]])
      const v: unknown = m?.message.value
      if (typeof v === 'number' || (Array.isArray(v) && v.every((e) => typeof e === 'number'))) return v as number | number[]
      throw typeErrorMessage(`a NonlinearConstraint fun must return a number or an array of numbers; got ${v === null ? 'null' : typeof v}`)
    } finally {
      this.busy = false
    }
  }

  /** Stops the worker threads. A batch in flight rejects; later calls throw 'the WorkerPool is closed'. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (let w = 0; w < this.size; w++) {
      Atomics.store(this.ctrl, w * WORDS + SEQ, -1)
      Atomics.notify(this.ctrl, w * WORDS + SEQ)
      // Wake a map() waiting on this pool: it sees `closed` and rejects.
      Atomics.notify(this.ctrl, w * WORDS + DONE)
      Atomics.notify(this.ctrl, w * WORDS + READY)
    }
    // Ref'd while they stop: an unref'd worker's 'exit' may never come if nothing else keeps the loop alive.
    await Promise.all(
      this.workers.map((worker) => {
        worker.ref()
        return worker.terminate()
      }),
    )
    for (const port of this.ports) port.close()
  }
}

function closedError(): Error {
  return new Error('the WorkerPool is closed')
}
