import type { RawData } from 'ws';

/** A text frame's JSON, or undefined for binary frames and invalid JSON (the schema check then refuses it). */
export function parseFrame(data: RawData, isBinary: boolean): unknown {
  if (isBinary) return undefined;
  try {
    return JSON.parse(data.toString());
  } catch {
    return undefined;
  }
}
