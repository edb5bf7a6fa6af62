/**
 * Bounds how many lines a second the hub writes. A reconnect storm of 10,000 agents is 20,000
 * "connected"/"disconnected" lines; written to a pipe (journald, a parent process) that cannot
 * keep up, each write blocks the event loop (stderr to a pipe is synchronous on Linux), and a
 * stalled hub drops more agents, which log more. Past the budget, lines are counted and one
 * summary line says how many were left out.
 */
export function limitLog(write: (line: string) => void, perSecond = 50, now = () => Date.now()): (line: string) => void {
  let second = -1;
  let written = 0;
  let dropped = 0;
  let summary: NodeJS.Timeout | undefined;
  const flush = () => {
    summary = undefined;
    if (dropped) write(`(${dropped} more log line${dropped === 1 ? '' : 's'} left out: over ${perSecond} a second)`);
    dropped = 0;
  };
  return (line) => {
    const s = Math.floor(now() / 1000);
    if (s !== second) {
      second = s;
      written = 0;
    }
    if (written < perSecond) {
      written++;
      write(line);
    } else {
      dropped++;
      summary ??= setTimeout(flush, 1000).unref();
    }
  };
}
