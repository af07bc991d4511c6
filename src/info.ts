// What `npx musique info` prints: version, platform binary, cores and pools.

import { availableParallelism } from 'node:os'

import { loadedBinary } from './internal/binary'
import { threadpoolInfo, type ThreadpoolInfo } from './threadpool'
import { getWorkers, workerPools, type WorkerPoolInfo } from './workers'

/** A description of this Musique installation. */
export interface MusiqueInfo {
  /** The package version. */
  version: string
  /** Which native binary was loaded: the platform package, or a `.node` built from source. */
  binary: {
    /** `<platform>-<arch>` of this process. */
    target: string
    /** Path of the loaded `.node` file. */
    path: string | null
  }
  /** `process.platform`. */
  platform: string
  /** `process.arch`. */
  arch: string
  /** `process.version`. */
  node: string
  /** `os.availableParallelism()`: what `workers: -1` means. */
  cores: number
  /** The default `workers` in the current scope. */
  defaultWorkers: number
  /** The rayon pools built so far for `workers`, by size. */
  workerPools: WorkerPoolInfo[]
  /** Every thread pool Musique owns, as {@link threadpoolInfo} lists them (like `python -m threadpoolctl -i numpy`). */
  threadpools: ThreadpoolInfo[]
}

/**
 * Describes this installation: version, native binary, cores and thread pools.
 *
 * @example
 * ```ts
 * import { info } from 'musique'
 * info().cores // e.g. 8
 * ```
 */
export function info(): MusiqueInfo {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require('../package.json') as { version: string }
  return {
    version: pkg.version,
    binary: { target: `${process.platform}-${process.arch}`, path: loadedBinary() },
    platform: process.platform,
    arch: process.arch,
    node: process.version,
    cores: availableParallelism(),
    defaultWorkers: getWorkers(),
    workerPools: workerPools(),
    threadpools: threadpoolInfo(),
  }
}
