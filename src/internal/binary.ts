// Which native binary this process loaded.

import native = require('./native')

/** Path of the loaded `.node` file (the platform package's, or one built from source), or null. */
export function loadedBinary(): string | null {
  for (const [file, mod] of Object.entries(require.cache)) {
    if (file.endsWith('.node') && mod?.exports === native) return file
  }
  const found = Object.keys(require.cache).find((f) => /musique[.-][^/\\]*\.node$/.test(f))
  return found ?? null
}
