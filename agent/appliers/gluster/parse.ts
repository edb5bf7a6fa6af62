/**
 * Reading `gluster … --xml` output (never the human text): pool, volume info, volume status,
 * heal summary, split-brain list, rebalance status; and the one comparison that matters —
 * `volume info` names every brick, `volume status` leaves out the bricks of a node whose glusterd
 * is down, so a brick missing from status is offline. Pure; tested with real captured samples.
 */
import type { BrickStatus, PeerStatus, VolumeStatus } from '../../protocol/types.js';
import { type XmlElement, child, childrenNamed, parseXml, textAt } from './xml.js';

export class GlusterCliError extends Error {
  constructor(message: string, readonly errno: number) {
    super(message);
  }
}

/** The `<cliOutput>` of a command; throws GlusterCliError with `opErrstr` when `opRet` is not 0. */
export function cliOutput(xml: string): XmlElement {
  const root = parseXml(xml);
  if (root.name !== 'cliOutput') throw new Error(`expected <cliOutput>, got <${root.name}>`);
  const ret = Number(textAt(root, 'opRet') ?? '0');
  if (ret !== 0) throw new GlusterCliError(textAt(root, 'opErrstr') || `gluster failed (opRet ${ret}, opErrno ${textAt(root, 'opErrno') ?? '?'})`, Number(textAt(root, 'opErrno') ?? 0));
  return root;
}

const int = (s: string | undefined): number | undefined => (s !== undefined && /^-?\d+$/.test(s) ? Number(s) : undefined);

/** `host:/path` → its two halves (the path starts at the first `:/`). */
export function splitBrick(name: string): { host: string; path: string } {
  const at = name.indexOf(':/');
  return at < 0 ? { host: '', path: name } : { host: name.slice(0, at), path: name.slice(at + 1) };
}

/** `pool list --xml` (or `peer status`): every peer; the node itself is `localhost` in a pool list. */
export function parsePeers(root: XmlElement): PeerStatus[] {
  return childrenNamed(child(root, 'peerStatus'), 'peer').map((p) => {
    const hostname = textAt(p, 'hostname') ?? '';
    return { uuid: textAt(p, 'uuid') ?? '', hostname, connected: textAt(p, 'connected') === '1', ...(hostname === 'localhost' ? { self: true } : {}) };
  });
}

/** `peer status --xml`: the peers connected and fully in the cluster (state 3, "Peer in Cluster"). */
export function peersInCluster(root: XmlElement): string[] {
  return [...new Set(childrenNamed(child(root, 'peerStatus'), 'peer')
    .filter((p) => textAt(p, 'connected') === '1' && textAt(p, 'state') === '3')
    .flatMap((p) => [textAt(p, 'hostname') ?? '', ...childrenNamed(child(p, 'hostnames'), 'hostname').map((h) => h.text)]))];
}

export interface VolumeInfo {
  name: string;
  id: string;
  started: boolean;
  type: string;
  replica: number;
  arbiter: number;
  bricks: { host: string; path: string; uuid: string; arbiter: boolean }[];
  options: Record<string, string>;
}

/** `volume info --xml`. */
export function parseVolumeInfo(root: XmlElement): VolumeInfo[] {
  return childrenNamed(child(child(root, 'volInfo'), 'volumes'), 'volume').map((v) => ({
    name: textAt(v, 'name') ?? '',
    id: textAt(v, 'id') ?? '',
    started: textAt(v, 'status') === '1',
    type: textAt(v, 'typeStr') ?? '',
    replica: int(textAt(v, 'replicaCount')) ?? 1,
    arbiter: int(textAt(v, 'arbiterCount')) ?? 0,
    bricks: childrenNamed(child(v, 'bricks'), 'brick').map((b) => ({
      ...splitBrick(textAt(b, 'name') ?? b.text),
      uuid: textAt(b, 'hostUuid') ?? b.attrs['uuid'] ?? '',
      arbiter: textAt(b, 'isArbiter') === '1',
    })),
    options: Object.fromEntries(childrenNamed(child(v, 'options'), 'option').map((o) => [textAt(o, 'name') ?? '', textAt(o, 'value') ?? ''])),
  }));
}

export interface BrickLive { online: boolean; pid?: number; sizeTotal?: number; sizeFree?: number }

/** `volume status [all] [detail] --xml`: volume → `host:path` → what it says of each brick (daemons left out). */
export function parseVolumeStatus(root: XmlElement): Map<string, Map<string, BrickLive>> {
  const out = new Map<string, Map<string, BrickLive>>();
  for (const v of childrenNamed(child(child(root, 'volStatus'), 'volumes'), 'volume')) {
    const bricks = new Map<string, BrickLive>();
    for (const n of childrenNamed(v, 'node')) {
      const path = textAt(n, 'path') ?? '';
      if (!path.startsWith('/')) continue; // the self-heal daemon, NFS …: not bricks
      const pid = int(textAt(n, 'pid'));
      const sizeTotal = int(textAt(n, 'sizeTotal'));
      const sizeFree = int(textAt(n, 'sizeFree'));
      bricks.set(`${textAt(n, 'hostname') ?? ''}:${path}`, {
        online: textAt(n, 'status') === '1',
        ...(pid !== undefined && pid > 0 ? { pid } : {}),
        ...(sizeTotal !== undefined ? { sizeTotal } : {}),
        ...(sizeFree !== undefined ? { sizeFree } : {}),
      });
    }
    out.set(textAt(v, 'volName') ?? '', bricks);
  }
  return out;
}

export interface BrickHeal { pending: number; splitBrain: number }

/** `volume heal VOL info summary --xml`: `host:path` → its backlog, or null where the brick could not be read. */
export function parseHealSummary(root: XmlElement): Map<string, BrickHeal | null> {
  const out = new Map<string, BrickHeal | null>();
  for (const b of childrenNamed(child(child(root, 'healInfo'), 'bricks'), 'brick')) {
    const total = int(textAt(b, 'totalNumberOfEntries'));
    const splitBrain = int(textAt(b, 'numberOfEntriesInSplitBrain'));
    out.set(textAt(b, 'name') ?? '', total === undefined ? null : { pending: total, splitBrain: splitBrain ?? 0 });
  }
  return out;
}

/**
 * `volume heal VOL info split-brain --xml`: the files in split-brain, once each. A brick that has
 * no path for a file lists `<gfid:…>`; the path another brick gives wins.
 */
export function parseSplitBrainFiles(root: XmlElement): string[] {
  const byGfid = new Map<string, string>();
  for (const b of childrenNamed(child(child(root, 'healInfo'), 'bricks'), 'brick')) {
    for (const f of childrenNamed(b, 'file')) {
      const key = f.attrs['gfid'] ?? f.text;
      const seen = byGfid.get(key);
      if (!seen || (!seen.startsWith('/') && f.text.startsWith('/'))) byGfid.set(key, f.text);
    }
  }
  return [...byGfid.values()];
}

export interface RebalanceStatus { state: string; files: number; size: number; failures: number }

/** `volume rebalance VOL status --xml`: the aggregate over every node. */
export function parseRebalance(root: XmlElement): RebalanceStatus {
  const agg = child(child(root, 'volRebalance'), 'aggregate');
  return {
    state: textAt(agg, 'statusStr') ?? 'unknown',
    files: int(textAt(agg, 'files')) ?? 0,
    size: int(textAt(agg, 'size')) ?? 0,
    failures: int(textAt(agg, 'failures')) ?? 0,
  };
}

/**
 * One volume as the status report shows it: every brick `volume info` names, online only when
 * `volume status` lists it as up (a brick it leaves out is offline), with its free space and
 * heal backlog where known.
 */
export function mergeVolume(info: VolumeInfo, live: Map<string, BrickLive> | undefined, heal: Map<string, BrickHeal | null> | undefined, splitBrainFiles: string[] = []): VolumeStatus {
  const bricks: BrickStatus[] = info.bricks.map((b) => {
    const key = `${b.host}:${b.path}`;
    const l = live?.get(key);
    const h = heal?.get(key);
    return {
      host: b.host, path: b.path, uuid: b.uuid, arbiter: b.arbiter,
      online: !!l?.online && info.started,
      ...(l?.pid !== undefined ? { pid: l.pid } : {}),
      ...(l?.sizeTotal !== undefined ? { sizeTotal: l.sizeTotal } : {}),
      ...(l?.sizeFree !== undefined ? { sizeFree: l.sizeFree } : {}),
      healPending: h ? h.pending : null,
      splitBrain: h ? h.splitBrain : null,
    };
  });
  return {
    name: info.name, id: info.id, started: info.started, type: info.type, replica: info.replica, arbiter: info.arbiter,
    bricks, options: info.options, ...(splitBrainFiles.length ? { splitBrainFiles: splitBrainFiles.slice(0, 50) } : {}),
  };
}
