/** The webhook action: POST the event as JSON, give up after a timeout. */
import { VERSION } from '../../version.js';

export const WEBHOOK_TIMEOUT_MS = 5000;

/** POSTs `body` as JSON to `url`; rejects on a network error, a timeout or a non-2xx answer. */
export async function postWebhook(url: string, body: unknown, timeoutMs = WEBHOOK_TIMEOUT_MS): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': `unlimited-cluster/${VERSION}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  // The answer's body is not needed; drop it so the connection is freed.
  await res.body?.cancel().catch(() => {});
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
}

/** `scheme://host` of a webhook URL: what the log may show (paths and queries often hold tokens). */
export function urlForLog(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'an invalid URL';
  }
}
