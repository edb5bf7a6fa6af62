/** Runs the gluster CLI (`--mode=script`, so it never asks) and reads its XML answer. */
import { ApplyError } from '../contract.js';
import { run } from '../files.js';
import type { GlusterCommand } from './commands.js';
import { GlusterCliError, cliOutput } from './parse.js';
import type { XmlElement } from './xml.js';

export class GlusterCli {
  constructor(private readonly bin: string, private readonly timeoutMs = 30_000) {}

  /** `gluster ARGS --xml`, parsed; throws ApplyError with glusterd's own message on failure. */
  async xml(...args: string[]): Promise<XmlElement> {
    const r = await run(this.bin, ['--mode=script', ...args, '--xml'], this.timeoutMs);
    const start = r.output.indexOf('<?xml');
    if (start < 0) throw new ApplyError(notRunning(r.output) ?? `gluster ${args.join(' ')} failed: ${r.output || `exit code ${r.code}`}`);
    try {
      return cliOutput(r.output.slice(start));
    } catch (e) {
      throw e instanceof GlusterCliError ? new ApplyError(`gluster ${args.join(' ')}: ${e.message}`) : e;
    }
  }

  /** A command that answers in human text: only its exit code counts (its output is passed on as it is). */
  async plain(...args: string[]): Promise<string> {
    const r = await run(this.bin, ['--mode=script', ...args], this.timeoutMs);
    if (r.code !== 0) throw new ApplyError(notRunning(r.output) ?? `gluster ${args.join(' ')} failed: ${r.output || `exit code ${r.code}`}`);
    return r.output;
  }

  call(c: GlusterCommand): Promise<unknown> {
    return c.xml ? this.xml(...c.args) : this.plain(...c.args);
  }
}

/** The CLI's own words when it cannot reach glusterd, said plainly. */
function notRunning(output: string): string | undefined {
  return /Connection failed/.test(output) ? `glusterd is not running on this node (the gluster CLI says: ${output.trim()})` : undefined;
}
