// 待核查接入消息: how a refused inbound message is shown. The raw text is only ever interpolated
// as text (never v-html); JSON is indented for reading, anything else is shown as received.

/** The message as received, indented if it is JSON. */
export function rawForReading(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2)
  } catch {
    return raw
  }
}
