/**
 * Brings a state document written by an older hub up to STATE_VERSION, in memory. Pure: the file
 * on disk is rewritten in the new format only by the next change (Store.update), so merely
 * starting a newer hub never touches it.
 */
import { defaultAlertRules } from './alerts/default-rules.js';

type Doc = Record<string, unknown> & { version?: unknown };

/** Each step takes a document of version N to N + 1. */
const STEPS: Record<number, (doc: Doc) => Doc> = {
  // 1 → 2: alert rules (the defaults) and an empty alert log.
  1: (doc) => ({ ...doc, version: 2, alertRules: defaultAlertRules(), alerts: [] }),
  // 2 → 3: only optional fields were added (join tokens for one server, Webmin users' API tokens).
  2: (doc) => ({ ...doc, version: 3 }),
};

/**
 * Returns `doc` upgraded step by step to `target`, or `doc` itself when it is not a versioned
 * object or needs nothing (the schema check that follows reports what is wrong with it).
 */
export function migrateStateDoc(doc: unknown, target: number): unknown {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return doc;
  let d = doc as Doc;
  while (typeof d.version === 'number' && d.version < target) {
    const step = STEPS[d.version];
    if (!step) return d;
    d = step(d);
  }
  return d;
}
