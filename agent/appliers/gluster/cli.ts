/** Runs the gluster CLI (`--mode=script`, so it never asks) and reads its XML answer. */
import { ApplyError } from '../contract.js';
import { run } from '../files.js';
import type { GlusterCommand } from './commands.js';
import { GlusterCliError, cliOutput } from './parse.js';
import type { XmlElement } from './xml.js';

/**
 * Refusals that pass by themselves: glusterd holds a cluster-wide lock per volume while it runs a
 * command (another one is told to try again), and a node's self-heal daemon starts a moment after
 * its bricks (a heal asked for in between is refused).
 */
const BUSY = /Another transaction is in progress|Locking failed|try again after some time|Self-heal daemon is not running/i;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class GlusterCli {
  /** `retryMs`: how long a command refused because glusterd is busy with another one is retried (0 for status reads). */
  constructor(private readonly bin: string, private readonly timeoutMs = 30_000, private readonly retryMs = 30_000) {}

  /** `gluster ARGS --xml`, parsed; throws ApplyError with glusterd's own message on failure. */
  async xml(...args: string[]): Promise<XmlElement> {
    return this.retrying(() => this.xmlOnce(args));
  }

  /** A command that answers in human text: only its exit code counts (its output is passed on as it is). */
  async plain(...args: string[]): Promise<string> {
    return this.retrying(async () => {
      const r = await run(this.bin, ['--mode=script', ...args], this.timeoutMs);
      if (r.code !== 0) throw new ApplyError(notRunning(r.output) ?? `gluster ${args.join(' ')} failed: ${r.output || `exit code ${r.code}`}`);
      return r.output;
    });
  }

  call(c: GlusterCommand): Promise<unknown> {
    return c.xml ? this.xml(...c.args) : this.plain(...c.args);
  }

  private async retrying<T>(once: () => Promise<T>): Promise<T> {
    const end = Date.now() + this.retryMs;
    for (let wait = 250; ; wait = Math.min(2000, wait * 2)) {
      try {
        return await once();
      } catch (e) {
        if (!(e instanceof ApplyError) || !BUSY.test(e.message) || Date.now() + wait > end) throw e;
        await sleep(wait);
      }
    }
  }

  private async xmlOnce(args: string[]): Promise<XmlElement> {
    const r = await run(this.bin, ['--mode=script', ...args, '--xml'], this.timeoutMs);
    const start = r.output.indexOf('<?xml');
    if (start < 0) throw new ApplyError(notRunning(r.output) ?? `gluster ${args.join(' ')} failed: ${r.output || `exit code ${r.code}`}`);
    try {
      return cliOutput(r.output.slice(start));
    } catch (e) {
      throw e instanceof GlusterCliError ? new ApplyError(`gluster ${args.join(' ')}: ${e.message}`) : e;
    }
  }
}

/** The CLI's own words when it cannot reach glusterd, said plainly. */
function notRunning(output: string): string | undefined {
  return /Connection failed/.test(output) ? `glusterd is not running on this node (the gluster CLI says: ${output.trim()})` : undefined;
}
