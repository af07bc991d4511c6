// Runs a snippet in a child Node, so that a hang, an abort or a blocked main
// thread fails one test instead of the run. Used by every *.limits spec.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const ROOT = join(__dirname, '..', '..')

/** What the snippet threw or returned. */
export interface Outcome {
  name?: string
  message?: string
  code?: string
  value?: unknown
}

/** file: URLs of the fixture modules, as the child sees them. */
export const FIXTURES = {
  misbehave: pathToFileURL(join(ROOT, '__test__', 'fixtures-js', 'misbehave.mjs')).href,
  objectives: pathToFileURL(join(ROOT, '__test__', 'fixtures-js', 'objectives.mjs')).href,
  exitAtImport: pathToFileURL(join(ROOT, '__test__', 'fixtures-js', 'exit-at-import.mjs')).href,
  throwsAtImport: pathToFileURL(join(ROOT, '__test__', 'fixtures-js', 'throws-at-import.mjs')).href,
}

/** What a child's snippet finds in scope, per module: `O`/`M` (optimize and the fixtures' URLs), `F`/`B` (fft and the raw binding), `L`/`B`/`M(rows, cols)` (linalg, the binding, a float64 matrix of zeros). */
export const PRELUDES = {
  optimize: `const O = require(${JSON.stringify(join(ROOT, 'src', 'optimize.js'))})
    const M = ${JSON.stringify(FIXTURES)}`,
  fft: `const F = require(${JSON.stringify(join(ROOT, 'src', 'fft.js'))})
    const B = require(${JSON.stringify(join(ROOT, 'binding.js'))})`,
  linalg: `const L = require(${JSON.stringify(join(ROOT, 'src', 'linalg.js'))})
    const B = require(${JSON.stringify(join(ROOT, 'binding.js'))})
    const M = (rows, cols) => ({ data: new Float64Array(rows * cols), shape: [rows, cols], dtype: 'float64' })`,
}

/**
 * Runs `body` (an async function body, with `prelude`'s names in scope:
 * optimize's by default) in a child Node under `ulimit -v kb` when given, and
 * returns what it threw or returned. The child must end cleanly (status 0, no
 * signal) and within `timeoutMs`: a hang guard, not a timing assertion.
 */
export function inChild(body: string, options: { prelude?: string; kb?: number; timeoutMs?: number; nodeArgs?: string[] } = {}): Outcome {
  const script = `
    ${options.prelude ?? PRELUDES.optimize}
    ;(async () => { ${body} })().then(
      (v) => { console.log(JSON.stringify({ value: v === undefined ? null : v })); process.exit(0) },
      (e) => { console.log(JSON.stringify({ name: e && e.name, message: e && e.message, code: e && e.code })); process.exit(0) },
    )`
  const node = [process.execPath, ...(options.nodeArgs ?? [])].map((a) => JSON.stringify(a)).join(' ')
  const cmd = options.kb === undefined ? `exec ${node} -e "$0"` : `ulimit -v ${options.kb} && exec ${node} -e "$0"`
  const run = spawnSync('bash', ['-c', cmd, script], { encoding: 'utf8', timeout: options.timeoutMs ?? 60_000, cwd: ROOT })
  if (run.signal !== null || run.status !== 0) {
    throw new Error(`child ended by ${run.signal ?? `status ${run.status}`}: ${(run.stderr ?? '').slice(-2000)}`)
  }
  const line = run.stdout.trim().split('\n').pop() ?? ''
  return JSON.parse(line) as Outcome
}
