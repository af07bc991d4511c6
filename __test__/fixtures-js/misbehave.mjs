// Objectives that end, crash or never return, for the WorkerPool limits tests.

/** Calls process.exit while evaluating the first point of a batch whose first value is > 0.5. */
export function exitNow(x) {
  if (x[0] > 0.5) process.exit(4)
  return x[0]
}

/** An uncaught error thrown from a timer while the evaluation awaits. */
export async function crash(x) {
  setTimeout(() => {
    throw new Error('crashed in a timer')
  }, 0)
  await new Promise((resolve) => setTimeout(resolve, 1000))
  return x[0]
}

/** Never returns. */
export function forever(x) {
  for (;;) {}
  return x[0]
}

/** Slow only for points with x[0] > 0.5, else the sphere function. */
export function slowWhenBig(x) {
  if (x[0] > 0.5) for (;;) {}
  return x.reduce((s, v) => s + v * v, 0)
}

export default function sphere(x) {
  return x.reduce((s, v) => s + v * v, 0)
}
