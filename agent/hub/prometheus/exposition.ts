/**
 * The Prometheus text exposition format, version 0.0.4: metric families with `# HELP` and
 * `# TYPE`, each family's samples together, escaped label values. Pure string building: a
 * family keeps its sample lines as strings so a scrape of thousands of servers allocates one
 * string per sample and one join at the end.
 * Spec: https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 */

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type MetricType = 'gauge' | 'counter' | 'untyped';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** Label names starting with `__` are reserved for Prometheus itself. */
const LABEL_NAME = /^(?!__)[a-zA-Z_][a-zA-Z0-9_]*$/;

/** `name="value",…` with every value escaped: made only by `labels()`, so it is always valid. */
export type Labels = string & { readonly __labels: unique symbol };

export const NO_LABELS = '' as Labels;

export function isMetricName(name: string): boolean {
  return METRIC_NAME.test(name);
}

export function isLabelName(name: string): boolean {
  return LABEL_NAME.test(name);
}

/** A label value: backslash, double quote and newline are the only escapes the format has. */
export function escapeLabelValue(value: string): string {
  return /[\\"\n]/.test(value) ? value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`)) : value;
}

/** HELP text escapes backslash and newline (a double quote stays as it is). */
export function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

/** A sample value as Prometheus parses it (Go ParseFloat): NaN, +Inf, -Inf, or a JS number. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value); // "1e+21" and "5e-7" are valid Go floats; -0 prints as "0"
}

/** A label set from name/value pairs, in the given order. Throws on an invalid label name. */
export function labels(pairs: Readonly<Record<string, string>>): Labels {
  const parts: string[] = [];
  for (const name of Object.keys(pairs)) {
    if (!isLabelName(name)) throw new Error(`invalid Prometheus label name '${name}'`);
    parts.push(`${name}="${escapeLabelValue(pairs[name]!)}"`);
  }
  return parts.join(',') as Labels;
}

/** Two label sets as one (the caller keeps the names distinct). */
export function mergeLabels(a: Labels, b: Labels): Labels {
  return (a && b ? `${a},${b}` : a || b) as Labels;
}

/** One metric family: its header and its sample lines, in the order they were added. */
export class Family {
  private readonly lines: string[] = [];

  constructor(readonly name: string, readonly help: string, readonly type: MetricType) {
    if (!isMetricName(name)) throw new Error(`invalid Prometheus metric name '${name}'`);
  }

  add(set: Labels, value: number): this {
    this.lines.push(set ? `${this.name}{${set}} ${formatValue(value)}` : `${this.name} ${formatValue(value)}`);
    return this;
  }

  get size(): number {
    return this.lines.length;
  }

  /** The family as exposition text, without a trailing newline. */
  render(): string {
    const header = `# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} ${this.type}`;
    return this.lines.length ? `${header}\n${this.lines.join('\n')}` : header;
  }
}

/**
 * A whole exposition: every family once, in the given order, ending with a newline. A name given
 * twice is a programming error (Prometheus would reject the split family), so it throws.
 */
export function renderExposition(families: readonly Family[]): string {
  const seen = new Set<string>();
  for (const f of families) {
    if (seen.has(f.name)) throw new Error(`metric family '${f.name}' given twice`);
    seen.add(f.name);
  }
  return families.length ? `${families.map((f) => f.render()).join('\n')}\n` : '';
}
