/** The flow moves on asynchronously after an action: load again until `done`, or give up after `timeoutMs`. */
export async function pollUntil<T>(
  load: () => Promise<T>,
  done: (value: T) => boolean,
  { intervalMs = 500, timeoutMs = 15_000 }: { intervalMs?: number; timeoutMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let value = await load()
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
    value = await load()
  }
  return value
}
