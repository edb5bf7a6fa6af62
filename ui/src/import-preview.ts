/** What importing a JSON file would change, checked before anything is sent (the hub validates it whole again). */
import type { ExportDoc } from '../../agent/protocol/types.js';
import type { Model } from './store.js';

export interface Preview { doc: ExportDoc; added: string[]; removed: string[]; kept: number }

/** What importing `text` would do to `model`, or why it cannot be imported. */
export function previewImport(text: string, model: Pick<Model, 'servers'>): Preview | string {
  let doc: unknown;
  try { doc = JSON.parse(text); } catch { return 'This file is not JSON.'; }
  const d = doc as Partial<ExportDoc> | null;
  if (!d || typeof d !== 'object' || d.format !== 'unlimited-cluster') return 'This is not an Unlimited Cluster export (its "format" is not "unlimited-cluster").';
  if (d.version !== 1) return `Export version ${String(d.version)} is not supported (expected 1).`;
  for (const k of ['servers', 'connections', 'clusters'] as const) if (!Array.isArray(d[k])) return `The export has no "${k}" list.`;
  const ids = new Set(d.servers!.map((s) => s.id));
  return {
    doc: d as ExportDoc,
    added: [...ids].filter((id) => !model.servers.has(id)),
    removed: [...model.servers.keys()].filter((id) => !ids.has(id)),
    kept: [...ids].filter((id) => model.servers.has(id)).length,
  };
}

