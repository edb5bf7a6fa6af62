/**
 * Keepalived on this node: validated with `keepalived -t`, written with a backup, started when
 * not running and otherwise told to reload (SIGHUP). Reports the floating addresses this node
 * holds, from `ip -o addr show`.
 */
import { readFileSync } from 'node:fs';
import type { FilePlan, KeepalivedDesired } from '../../protocol/types.js';
import { type Applier, ApplyError, type Progress } from '../contract.js';
import { unifiedDiff } from '../diff.js';
import { readOrEmpty, replaceWithBackup, restore, run, sha256, validateText } from '../files.js';
import type { KeepalivedPaths } from '../paths.js';
import { renderKeepalived } from './render.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pidFile: string): number | null {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    if (!pid) return null;
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

export class KeepalivedApplier implements Applier<KeepalivedDesired> {
  constructor(private readonly paths: KeepalivedPaths) {}

  async plan(cluster: string, d: KeepalivedDesired): Promise<FilePlan> {
    const next = renderKeepalived(cluster, d);
    const why = await validateText(this.paths.config, next, (f) => run(this.paths.bin, ['-t', '-f', f]));
    if (why) throw new ApplyError(`keepalived -t refused the new configuration: ${why}`);
    const current = await readOrEmpty(this.paths.config);
    const running = alive(this.paths.pidFile) !== null;
    return {
      applier: 'keepalived', path: this.paths.config, diff: unifiedDiff(current, next, this.paths.config),
      change: current === next && running ? 'none' : 'reload',
      ...(running ? {} : { steps: ['start keepalived'] }),
      base: sha256(current), next: sha256(next),
    };
  }

  async apply(cluster: string, d: KeepalivedDesired, expect: { base: string; next: string }, progress: Progress): Promise<FilePlan> {
    const current = await readOrEmpty(this.paths.config);
    const next = renderKeepalived(cluster, d);
    if (sha256(current) !== expect.base) throw new ApplyError(`${this.paths.config} changed since the plan was made: plan again`);
    if (sha256(next) !== expect.next) throw new ApplyError('the desired state differs from the plan: plan again');
    const planned = await this.plan(cluster, d);
    if (planned.change === 'none') {
      progress('keepalived: already as planned, nothing to do');
      return planned;
    }
    progress('keepalived: configuration valid (keepalived -t)');
    await replaceWithBackup(this.paths.config, current, next);
    const pid = alive(this.paths.pidFile);
    if (pid) {
      process.kill(pid, 'SIGHUP');
      progress('keepalived: reloaded (SIGHUP)');
    } else {
      const r = await run(this.paths.bin, ['-P', '-f', this.paths.config, '-p', this.paths.pidFile, '-r', this.paths.vrrpPidFile]);
      if (r.code !== 0) {
        await restore(this.paths.config, current);
        throw new ApplyError(`keepalived did not start: ${r.output || `exit code ${r.code}`}; previous file restored`);
      }
      progress('keepalived: started');
    }
    for (let i = 0; i < 40 && !alive(this.paths.vrrpPidFile); i++) await sleep(50);
    if (!alive(this.paths.pidFile) || !alive(this.paths.vrrpPidFile)) {
      await restore(this.paths.config, current);
      throw new ApplyError('keepalived is not running after the change; previous file restored');
    }
    progress('keepalived: verified: VRRP running');
    return planned;
  }

  /** Addresses from `addresses` that this node holds now. */
  async held(addresses: string[]): Promise<string[]> {
    if (!addresses.length) return [];
    const r = await run(this.paths.ipBin, ['-o', 'addr', 'show']);
    const mine = new Set([...r.output.matchAll(/\binet6?\s+([^/\s]+)/g)].map((m) => m[1]!));
    return addresses.filter((a) => mine.has(a));
  }
}
