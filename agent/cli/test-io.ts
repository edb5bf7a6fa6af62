/** A scripted terminal for tests: records output, answers questions from a list. */
import type { Io } from './io.js';

export interface FakeIo extends Io {
  readonly stdout: string[];
  readonly stderr: string[];
  readonly questions: string[];
}

export function fakeIo(opts: { interactive?: boolean; answers?: string[]; stdin?: string } = {}): FakeIo {
  const answers = [...(opts.answers ?? [])];
  const stdout: string[] = [];
  const stderr: string[] = [];
  const questions: string[] = [];
  const answer = async (q: string): Promise<string> => {
    questions.push(q);
    return answers.shift() ?? '';
  };
  return {
    stdout, stderr, questions,
    out: (t) => { stdout.push(t); },
    err: (t) => { stderr.push(t); },
    interactive: opts.interactive ?? false,
    ask: answer,
    askSecret: answer,
    readStdin: async () => opts.stdin ?? '',
  };
}
