/** The flow moves on asynchronously after an action: load again until `done`, or give up after
 * `timeoutMs` or when `signal` aborts. `onValue` sees every answer (e.g. to show progress). */
export async function pollUntil<T>(
  load: () => Promise<T>,
  done: (value: T) => boolean,
  {
    intervalMs = 500,
    timeoutMs = 15_000,
    onValue,
    signal,
  }: { intervalMs?: number; timeoutMs?: number; onValue?: (value: T) => void; signal?: AbortSignal } = {},
): Promise<T> {
  // Elapsed time on the monotonic clock: a wall clock (wrong, or moved) must not end a wait early.
  const deadline = performance.now() + timeoutMs
  let value = await load()
  onValue?.(value)
  while (!done(value) && performance.now() < deadline && !signal?.aborted) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
    if (signal?.aborted) break
    value = await load()
    onValue?.(value)
  }
  return value
}
