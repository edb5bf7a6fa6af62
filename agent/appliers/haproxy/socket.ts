/** One command on an HAProxy CLI socket (stats or master): connect, send, read until close. */
import { connect } from 'node:net';

export function haproxyCommand(socket: string, command: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = connect(socket, () => c.end(`${command}\n`));
    let out = '';
    c.setEncoding('utf8');
    c.setTimeout(timeoutMs, () => c.destroy(new Error(`no answer from ${socket} to '${command}' within ${timeoutMs} ms`)));
    c.on('data', (d: string) => (out += d));
    c.on('error', reject);
    c.on('close', (hadError) => { if (!hadError) resolve(out); });
  });
}

export interface StatRow { pxname: string; svname: string; status: string; weight: number; scur: number }

/** `show stat` as rows (CSV with a `# ` header). */
export function parseShowStat(csv: string): StatRow[] {
  const [head, ...rows] = csv.trim().split('\n');
  if (!head?.startsWith('# ')) return [];
  const cols = head.slice(2).split(',');
  const at = (name: string) => cols.indexOf(name);
  const [px, sv, st, w, sc] = ['pxname', 'svname', 'status', 'weight', 'scur'].map(at) as [number, number, number, number, number];
  return rows.filter((r) => r.trim()).map((r) => {
    const f = r.split(',');
    return { pxname: f[px] ?? '', svname: f[sv] ?? '', status: f[st] ?? '', weight: Number(f[w]) || 0, scur: Number(f[sc]) || 0 };
  });
}

export interface ProcInfo { masterReloads: number; failed: number; workers: Array<{ pid: number; reloads: number }> }

/** The master CLI's `show proc`: its reload count and its workers (reloads 0 = the newest). */
export function parseShowProc(text: string): ProcInfo {
  const info: ProcInfo = { masterReloads: -1, failed: 0, workers: [] };
  for (const line of text.split('\n')) {
    const m = /^(\d+)\s+(master|worker)\s+(\d+)(?:\s+\[failed:\s*(\d+)\])?/.exec(line);
    if (!m) continue;
    if (m[2] === 'master') {
      info.masterReloads = Number(m[3]);
      info.failed = Number(m[4] ?? 0);
    } else info.workers.push({ pid: Number(m[1]), reloads: Number(m[3]) });
  }
  return info;
}
