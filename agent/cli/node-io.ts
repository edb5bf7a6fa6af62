/** The real terminal: process.stdin/stdout/stderr. The only file that touches them. */
import { createInterface } from 'node:readline';
import { CliError } from './errors.js';
import type { Io } from './io.js';

/** Ctrl-C at a prompt ends like an interrupted process would. */
const EXIT_INTERRUPTED = 130;

export function nodeIo(): Io {
  const stdin = process.stdin;
  return {
    out: (text) => { process.stdout.write(text); },
    err: (text) => { process.stderr.write(text); },
    interactive: stdin.isTTY === true,
    ask: (question) => askLine(question),
    askSecret: (question) => (stdin.isTTY ? askHidden(question) : askLine(question)),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/** One line from stdin, the question written to stderr so stdout stays clean for results. */
function askLine(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY === true });
    let answered = false;
    rl.on('SIGINT', () => {
      rl.close();
      process.stderr.write('\n');
      reject(new CliError('interrupted; nothing was changed', EXIT_INTERRUPTED));
    });
    // End of input (Ctrl-D) counts as an empty answer, which every caller treats as "no".
    rl.on('close', () => { if (!answered) resolve(''); });
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(answer);
    });
  });
}

/** Reads a line in raw mode so nothing typed is echoed (passwords). */
function askHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: CliError): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (data: Buffer): void => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') return finish(new CliError('interrupted; nothing was changed', EXIT_INTERRUPTED));
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else if (ch >= ' ') typed += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
