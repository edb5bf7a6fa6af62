/**
 * The contract every applier follows (DESIGN.md "Applying configuration"): render the desired
 * state → validate it with the real tool → plan (a unified diff) → apply atomically with a
 * backup → activate → verify → roll back on failure → report. Planning changes nothing; an
 * apply whose file is already as planned changes nothing either.
 */
import type { FilePlan } from '../protocol/types.js';

/** Reports a step as it happens (streamed to the hub, then to the browser). */
export type Progress = (step: string) => void;

/** A refusal or failure, with a message that says why and whether the previous state was restored. */
export class ApplyError extends Error {}

export interface Applier<Desired> {
  /** Renders and validates `desired` and compares it with what is on disk; changes nothing. */
  plan(cluster: string, desired: Desired): Promise<FilePlan>;
  /**
   * Makes the node run `desired`, provided the file is still as planned (`base`) and the render
   * still gives `next`. Throws ApplyError with the reason when it refuses or fails.
   */
  apply(cluster: string, desired: Desired, expect: { base: string; next: string }, progress: Progress): Promise<FilePlan>;
}
