/**
 * The terminal as commands see it. The real one is node-io.ts; tests pass a fake, so nothing
 * else in clusterctl touches process.stdin/stdout directly.
 */
export interface Io {
  /** Writes to stdout (results). */
  out(text: string): void;
  /** Writes to stderr (progress, questions, errors). */
  err(text: string): void;
  /** True when a person can answer questions: stdin is a terminal. */
  readonly interactive: boolean;
  /** Asks on the terminal and resolves with the answer line (without the newline). */
  ask(question: string): Promise<string>;
  /** Like ask, without echoing what is typed. */
  askSecret(question: string): Promise<string>;
  /** All of stdin as UTF-8 text (for `import -`). */
  readStdin(): Promise<string>;
}
