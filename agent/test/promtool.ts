/**
 * `promtool check metrics` (from Debian's prometheus package, installed by build/test-deps.sh):
 * Prometheus' own parser and linter of the text exposition format, fed on stdin.
 */
import { spawn } from 'node:child_process';

export interface PromtoolResult {
  /** 0: valid and lint-clean; 3: valid with lint problems; 1: not parseable. */
  code: number;
  /** What it printed (lint problems and parse errors go to stderr). */
  output: string;
}

/** Runs promtool on `text`; throws a clear error (never skips) when promtool is not installed. */
export function promtoolCheckMetrics(text: string): Promise<PromtoolResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
    proc.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT'
      ? new Error('promtool is not installed: run "bash build/test-deps.sh" as root (it installs Debian\'s prometheus package)')
      : e));
    proc.on('close', (code) => resolve({ code: code ?? -1, output: output.trim() }));
    proc.stdin.on('error', () => {}); // promtool may exit before reading everything; its exit code tells
    proc.stdin.end(text);
  });
}
