// Packs Musique as the publish job ships it — the main package from `npm pack`
// of this repository, given its optionalDependencies by `napi prepublish`,
// and this platform's binary package from npm/<platform> — installs both
// into a fresh project with no network and no Rust toolchain, and uses
// musique there from CommonJS and ESM.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join, sep } from 'node:path'

import test from 'ava'

const ROOT = join(__dirname, '..')
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
const NAPI_DIR = join(ROOT, 'node_modules', '@napi-rs', 'cli')
const NAPI = join(NAPI_DIR, JSON.parse(readFileSync(join(NAPI_DIR, 'package.json'), 'utf8')).bin.napi)
const FFT_1234 = [10, 0, -2, 2, -2, 0, -2, -2]

/** This machine's napi platform name: linux-x64-gnu, darwin-arm64, win32-x64-msvc, ... */
function platformName(): string {
  let abi = ''
  if (process.platform === 'linux') {
    const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header
    abi = header?.glibcVersionRuntime ? '-gnu' : '-musl'
  } else if (process.platform === 'win32') {
    abi = '-msvc'
  }
  return `${process.platform}-${process.arch}${abi}`
}

/** The environment of a user without Rust: no directory holding cargo or rustc on PATH, no CARGO_HOME or RUSTUP_HOME. */
function envWithoutRust(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.CARGO_HOME
  delete env.RUSTUP_HOME
  const key = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH'
  const tools = ['cargo', 'rustc', 'cargo.exe', 'rustc.exe']
  env[key] = (env[key] ?? '')
    .split(delimiter)
    .filter((d) => d !== '' && !tools.some((tool) => existsSync(join(d, tool))))
    .join(delimiter)
  return env
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const options = { cwd, env, encoding: 'utf8' as const, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'] }
  try {
    if (process.platform === 'win32' && cmd === 'npm') {
      // npm is npm.cmd on Windows, which only a shell runs: hand it one quoted command line.
      const line = [cmd, ...args].map((a) => (/[\s"&|<>^()]/.test(a) ? `"${a}"` : a)).join(' ')
      return execFileSync(line, [], { ...options, shell: true })
    }
    return execFileSync(cmd, args, options)
  } catch (e) {
    const err = e as Error & { stdout?: string; stderr?: string }
    err.message += `\n--- stdout\n${err.stdout ?? ''}\n--- stderr\n${err.stderr ?? ''}`
    throw err
  }
}

interface Packed {
  filename: string
  files: { path: string }[]
}

/** `npm pack` of dir into dest: the tarball's path and the paths it holds. */
function pack(dir: string, dest: string): { tgz: string; paths: string[] } {
  mkdirSync(dest, { recursive: true })
  const [out]: Packed[] = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], dir))
  return { tgz: join(dest, out.filename), paths: out.files.map((f) => f.path.replaceAll('\\', '/')) }
}

/** Every file under dir, relative, with forward slashes. */
function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  )
}

test.serial('npm/<platform> holds exactly the packages `napi create-npm-dirs` makes from package.json', (t) => {
  const work = mkdtempSync(join(tmpdir(), 'musique-npm-dirs-'))
  try {
    writeFileSync(join(work, 'package.json'), JSON.stringify(pkg, null, 2))
    run(process.execPath, [NAPI, 'create-npm-dirs'], work)
    const made = readdirSync(join(work, 'npm')).sort()
    t.deepEqual(readdirSync(join(ROOT, 'npm')).sort(), made, 'one npm/<platform> directory per napi.targets entry')
    t.is(made.length, pkg.napi.targets.length)
    for (const dir of made) {
      const ours = JSON.parse(readFileSync(join(ROOT, 'npm', dir, 'package.json'), 'utf8'))
      const theirs = JSON.parse(readFileSync(join(work, 'npm', dir, 'package.json'), 'utf8'))
      t.deepEqual(ours, theirs, `npm/${dir}/package.json is what napi makes (same version as the root: ${pkg.version})`)
      t.true(existsSync(join(ROOT, 'npm', dir, 'README.md')), `npm/${dir}/README.md`)
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
})

test.serial('the packages as published install offline without Rust and work from CommonJS and ESM', (t) => {
  t.timeout(180_000)
  const platform = platformName()
  const binary = `musique.${platform}.node`
  if (!existsSync(join(ROOT, 'npm', platform, 'package.json'))) {
    t.fail(`this test needs one of the platforms Musique publishes (${readdirSync(join(ROOT, 'npm')).join(', ')}); this machine is ${platform}`)
    return
  }
  if (!existsSync(join(ROOT, binary))) {
    t.fail(`${binary} is not built: run \`npm run build\` first`)
    return
  }

  const work = mkdtempSync(join(tmpdir(), 'musique-pack-'))
  try {
    // (a) The main package, packed from this repository as it stands.
    const root = pack(ROOT, join(work, 'root'))
    t.false(root.paths.some((p) => p.endsWith('.node')), 'no native binary in the main package')
    t.false(root.paths.some((p) => p.endsWith('.rs') || p.startsWith('crates/') || p.endsWith('Cargo.toml')), 'no Rust sources')
    t.false(root.paths.some((p) => p.endsWith('.ts') && !p.endsWith('.d.ts')), 'no TypeScript sources')
    t.false(root.paths.some((p) => p.startsWith('npm/') || p.startsWith('__test__/') || p.startsWith('target/')), 'nothing but the package itself')
    for (const p of ['package.json', 'index.js', 'index.mjs', 'index.d.ts', 'index.d.mts', 'binding.js', 'binding.d.ts', 'src/fft.js', 'src/fft.mjs', 'src/fft.d.ts', 'src/fft.d.mts', 'bin/musique.js']) {
      t.true(root.paths.includes(p), `${p} is packed`)
    }
    // Are the types wrong? (@arethetypeswrong/cli): every entry point resolves
    // under node10, node16 from CJS and from ESM, and bundler; exit 0 means no problem.
    const attw = join(ROOT, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js')
    const verdict = run(process.execPath, [attw, root.tgz, '--format', 'json'], work)
    t.deepEqual(JSON.parse(verdict).analysis.problems, [], 'attw finds no problem')

    // The publish job's last step: `napi prepublish -t npm` gives the root package
    // its optionalDependencies. Here it runs on the unpacked tarball, with npm/
    // beside it holding this platform's binary and placeholders for the others
    // (prepublish checks they exist; --skip-optional-publish publishes nothing).
    const main = join(work, 'main')
    mkdirSync(main)
    run('tar', ['-xzf', join('..', 'root', root.tgz.split(sep).pop()!), '--strip-components=1'], main)
    cpSync(join(ROOT, 'npm'), join(main, 'npm'), { recursive: true })
    const platforms = readdirSync(join(main, 'npm'))
    for (const dir of platforms) {
      const target = join(main, 'npm', dir, `musique.${dir}.node`)
      if (dir === platform) cpSync(join(ROOT, binary), target)
      else writeFileSync(target, 'placeholder')
    }
    run(process.execPath, [NAPI, 'prepublish', '-t', 'npm', '--skip-optional-publish', '--no-gh-release'], main)
    const published = JSON.parse(readFileSync(join(main, 'package.json'), 'utf8'))
    t.deepEqual(
      published.optionalDependencies,
      Object.fromEntries(platforms.map((d) => [`musique-${d}`, pkg.version])),
      'napi prepublish lists every npm/<platform> package at the root version',
    )
    const mainPacked = pack(main, join(work, 'published'))
    t.deepEqual([...mainPacked.paths].sort(), [...root.paths].sort(), 'prepublish changes package.json only')

    // (b) This platform's binary package, with the binary CI builds for it.
    const native = pack(join(main, 'npm', platform), join(work, 'native'))
    t.deepEqual([...native.paths].sort(), [binary, 'README.md', 'package.json'].sort())

    // (c) A fresh project, no Rust, no network: --offline, and a registry that does not answer.
    const app = join(work, 'app')
    mkdirSync(app)
    const env = envWithoutRust()
    t.throws(() => run('cargo', ['--version'], app, env), undefined, 'cargo is not on PATH')
    t.throws(() => run('rustc', ['--version'], app, env), undefined, 'rustc is not on PATH')
    run('npm', ['init', '-y'], app, env)
    run('npm', ['install', '--offline', '--registry=http://127.0.0.1:9/', '--no-audit', '--no-fund', '--ignore-scripts', native.tgz, mainPacked.tgz], app, env)
    const installed = join(app, 'node_modules', 'musique')
    t.deepEqual(walk(installed).filter((p) => p.endsWith('.node')), [], 'no .node file inside node_modules/musique')
    const binaryPath = realpathSync(join(app, 'node_modules', `musique-${platform}`, binary))

    // (d) CommonJS: both entry points, one instance, the binding from node_modules/musique-<platform>.
    const cjs = JSON.parse(
      run(process.execPath, ['-e', `
        const m = require('musique')
        const f = require('musique/fft')
        const show = (y) => ({ data: Array.from(y.data), f64: y.data instanceof Float64Array, shape: y.shape, dtype: y.dtype })
        console.log(JSON.stringify({
          main: show(m.fft([1, 2, 3, 4])),
          fft: show(f.fft([1, 2, 3, 4])),
          same: m.fft === f.fft,
          resolved: require.resolve('musique-${platform}'),
          loaded: Object.keys(require.cache).filter((k) => k.endsWith('.node')).map((k) => require('fs').realpathSync(k)),
        }))
      `], app, env),
    )
    for (const y of [cjs.main, cjs.fft]) {
      t.deepEqual(y, { data: FFT_1234, f64: true, shape: [4], dtype: 'complex128' })
    }
    t.true(cjs.same, "require('musique').fft is require('musique/fft').fft")
    t.is(realpathSync(cjs.resolved), binaryPath)
    t.deepEqual(cjs.loaded, [binaryPath], 'the one native binary loaded is node_modules/musique-<platform>/musique.<platform>.node')

    // ESM: import('musique') and a static import from 'musique/fft'.
    writeFileSync(join(app, 'esm.mjs'), `
      import { realpathSync } from 'node:fs'
      import { createRequire } from 'node:module'
      import { fft } from 'musique/fft'
      const m = await import('musique')
      const show = (y) => ({ data: Array.from(y.data), f64: y.data instanceof Float64Array, shape: y.shape, dtype: y.dtype })
      console.log(JSON.stringify({
        main: show(m.fft([1, 2, 3, 4])),
        fft: show(fft([1, 2, 3, 4])),
        async: show(await m.fftAsync(m.complex([1, 2, 3, 4]))),
        same: m.fft === fft && m.default.fft === fft,
        loaded: Object.keys(createRequire(import.meta.url).cache).filter((k) => k.endsWith('.node')).map((k) => realpathSync(k)),
      }))
    `)
    const esm = JSON.parse(run(process.execPath, ['esm.mjs'], app, env))
    for (const y of [esm.main, esm.fft, esm.async]) {
      t.deepEqual(y, { data: FFT_1234, f64: true, shape: [4], dtype: 'complex128' })
    }
    t.true(esm.same, 'ESM and CommonJS share one instance')
    t.deepEqual(esm.loaded, [binaryPath])

    // TypeScript users: the subpath types resolve, and track dtypes, under every
    // moduleResolution a project may use (CommonJS and ESM files under node16).
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
    const use = (from: string) => `
      import { fft } from 'musique/fft'
      import { solve } from 'musique/linalg'
      import { minimize, rosen } from 'musique/optimize'
      import { complex } from '${from}'
      const y = fft(complex([1, 2], [3, 4]))
      const shape: number[] = y.shape
      const x = solve([[2, 0], [0, 2]], [1, 1])
      const r = minimize(rosen, [0, 0])
      // @ts-expect-error fft takes an array, not a string
      fft('abc')
      export const out = [shape, x.data, r.x]
    `
    writeFileSync(join(app, 'use.ts'), use('musique'))
    writeFileSync(join(app, 'use.cts'), use('musique'))
    writeFileSync(join(app, 'use.mts'), use('musique'))
    const typeRoots = join(ROOT, 'node_modules', '@types')
    const common = ['--noEmit', '--strict', '--skipLibCheck', '--typeRoots', typeRoots, '--types', 'node', '--target', 'es2022', '--lib', 'es2022,dom']
    for (const [resolution, module, files] of [
      ['node10', 'commonjs', ['use.ts']],
      ['node16', 'node16', ['use.cts', 'use.mts']],
      ['bundler', 'esnext', ['use.ts']],
    ] as const) {
      t.notThrows(() => run(process.execPath, [tsc, ...common, '--moduleResolution', resolution, '--module', module, ...files], app, env), `types resolve under moduleResolution ${resolution}`)
    }

    // The command line the package ships reports the same binary.
    const info = JSON.parse(run(process.execPath, [join(installed, 'bin', 'musique.js'), 'info', '--json', '--no-demo'], app, env))
    t.is(realpathSync(info.binary.path), binaryPath)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
})
