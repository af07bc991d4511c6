// The fuzzer (fuzz/run.ts) over the public API, 10^5 calls in a child process:
// no call may crash the process, hang, or throw anything but a typed error
// with a code. Sizes that a machine may really allocate are left to `npm run
// fuzz` (10^6 calls, a fresh seed, --huge true), so this run stays within a
// few GiB beside the other tests.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import test from 'ava'

test('10^5 fuzzed calls of the public API: no crash, no hang, only typed errors', (t) => {
  t.timeout(600_000)
  const dir = mkdtempSync(join(tmpdir(), 'musique-fuzz-'))
  const caseFile = join(dir, 'case.txt')
  try {
    const seed = 20261207
    const run = spawnSync(process.execPath, ['--import=tsx', join(__dirname, '..', 'fuzz', 'run.ts'), '--calls', '100000', '--seed', String(seed), '--case-file', caseFile], {
      encoding: 'utf8',
      timeout: 540_000,
      maxBuffer: 64 << 20,
    })
    const inFlight = run.status === 0 ? '' : `\ncase in flight: ${readFileSync(caseFile, 'utf8').slice(0, 2000)}`
    t.is(run.signal, null, `the fuzzer was killed by ${run.signal}${inFlight}`)
    t.is(run.status, 0, `${run.stdout}${run.stderr}${inFlight}`)
    t.regex(run.stdout, /^fuzz: 100000 calls/m)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
