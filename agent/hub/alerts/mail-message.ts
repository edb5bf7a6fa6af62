/**
 * The e-mail action's message: plain RFC 5322 text for `sendmail -t -i`, which reads the
 * recipient from the To header. Pure, so the exact bytes are testable.
 */
import { COUNT_METRICS, THRESHOLD_METRICS } from '../../protocol/alerts.js';
import type { Alert, AlertRule } from '../../protocol/types.js';
import type { AlertEvent } from './event.js';

/** One header value on one line: no CR/LF can start another header (the schemas forbid them too). */
const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');

/** RFC 2047 encoded-words for non-ASCII text (rule and server names may have any script). */
export function encodeHeader(value: string): string {
  const text = oneLine(value);
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  // ≤ 45 bytes of UTF-8 per word keeps each encoded-word within the 75 characters RFC 2047 allows.
  const words: string[] = [];
  let chunk = '';
  for (const ch of text) {
    if (Buffer.byteLength(chunk + ch) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join('\n ');
}

/** RFC 5322 date: `Wed, 01 May 2024 12:00:00 +0000`. */
export const mailDate = (d: Date) => d.toUTCString().replace(/GMT$/, '+0000');

const METRIC_LABEL: Record<AlertRule['metric'], string> = {
  cpu: 'CPU', mem: 'memory', disk: 'disk (fullest mount)', down: 'inactive (down)', galera_flow_control: 'Galera flow control (time paused)',
  galera_non_primary: 'Galera: not in a Primary component', galera_not_synced: 'Galera: not Synced',
  gluster_brick_offline: 'Gluster bricks offline', gluster_heal_stalled: 'Gluster heal backlog not shrinking',
  gluster_split_brain: 'Gluster split-brain entries', gluster_brick_full: 'fullest Gluster brick',
};

/** `93.2 %`, or for a condition without a threshold how long it had held. */
export function formatValue(alert: Pick<Alert, 'metric' | 'value'>): string {
  if (alert.metric === 'down') return `inactive for ${Math.round(alert.value)} s`;
  if (COUNT_METRICS.some((m) => m === alert.metric)) return String(Math.round(alert.value));
  return THRESHOLD_METRICS.some((m) => m === alert.metric) ? `${alert.value.toFixed(1)} %` : `for ${Math.round(alert.value)} s`;
}

/** `CPU at or above 80 % for 300 s`, `inactive (down) for 30 s`. */
export function describeCondition(rule: AlertRule): string {
  if (!('threshold' in rule)) return `${METRIC_LABEL[rule.metric]} for ${rule.forSeconds} s`;
  return `${METRIC_LABEL[rule.metric]} at or above ${rule.threshold} % for ${rule.forSeconds} s`;
}

export function alertSubject(e: AlertEvent): string {
  const server = e.server?.name ?? e.alert.serverId;
  return `[Unlimited Cluster] ${e.alert.state === 'firing' ? 'FIRING' : 'RESOLVED'}: ${e.alert.ruleName} on ${server}`;
}

export function alertBody(e: AlertEvent): string {
  const a = e.alert;
  const server = e.server ? `${e.server.name} (${e.server.id}, ${e.server.address})` : `${a.serverId} (removed)`;
  const lines = [
    `${a.ruleName} ${a.state === 'firing' ? 'is firing' : 'has resolved'} on ${server}.`,
    '',
    ...(e.rule ? [`Condition: ${describeCondition(e.rule)}`] : []),
    `Value:     ${formatValue(a)} when it fired`,
    `Started:   ${a.startedAt}`,
    ...(a.resolvedAt ? [`Resolved:  ${a.resolvedAt}`] : []),
    `Alert id:  ${a.id}`,
    '',
    '-- ',
    'Unlimited Cluster',
  ];
  return lines.join('\n') + '\n';
}

/** The whole message, headers and body, with LF line ends (what a local sendmail expects on stdin). */
export function alertMessage(e: AlertEvent, to: string, from: string, now: Date): string {
  const headers = [
    `From: ${oneLine(from)}`,
    `To: ${oneLine(to)}`,
    `Subject: ${encodeHeader(alertSubject(e))}`,
    `Date: ${mailDate(now)}`,
    `Message-ID: <${e.alert.id.replace(/:/g, '.')}.${e.alert.state}@unlimited-cluster>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    // Vacation responders and the like must not answer (RFC 3834).
    'Auto-Submitted: auto-generated',
  ];
  return `${headers.join('\n')}\n\n${alertBody(e)}`;
}
