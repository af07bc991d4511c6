// Runs a snippet in a child Node, so that a hang, an abort or a blocked main
// thread fails one test instead of the run. Used by the *.limits specs of optimize.
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

/**
 * Runs `body` (an async function body; `O` is musique/optimize, `M` the
 * fixtures' URLs) in a child Node under `ulimit -v kb` when given, and
 * returns what it threw or returned. The child must end cleanly (status 0, no
 * signal) and within `timeoutMs`: a hang guard, not a timing assertion.
 */
export function inChild(body: string, options: { kb?: number; timeoutMs?: number; nodeArgs?: string[] } = {}): Outcome {
  const script = `
    const O = require(${JSON.stringify(join(ROOT, 'src', 'optimize.js'))})
    const M = ${JSON.stringify(FIXTURES)}
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
