/**
 * What the renderer draws, in flat typed arrays: a frame at 50,000 servers walks these instead
 * of objects. Built when servers, positions, connections or clusters change; statuses and
 * metrics are patched in place (`applyLive`) so a live update never rebuilds it.
 */
import { type Quadtree, quadtree } from 'd3-quadtree';
import { CONNECTION_STATUSES, CONNECTION_TYPES, SERVER_STATUSES, SERVER_TYPES } from '../../../agent/protocol/common.js';
import type { ConnectionStatus, ConnectionType, ServerStatus, ServerType } from '../../../agent/protocol/types.js';
import { type Box, COS, FLOOR_MARGIN, PITCH, type Pt, REACH, SIN, planeBounds, planeX, planeY } from './geometry.js';

export interface SceneServer { id: string; name: string; type: ServerType }
export interface SceneLink { id: string; from: string; to: string; type: ConnectionType }
export interface SceneCluster { name: string; servers: readonly string[] }

export interface SceneInput {
  servers: readonly SceneServer[];
  positions: ReadonlyMap<string, Pt>;
  connections: readonly SceneLink[];
  clusters: readonly SceneCluster[];
}

/** Live values: status by server id, [cpu %, mem %] by server id, status by connection id. */
export interface LiveInput {
  status(id: string): ServerStatus;
  load(id: string): readonly [number, number] | undefined;
  link(id: string): ConnectionStatus;
}

const LINK_CELL = 8;
/** Cells far apart never collide: the plane stays within ±2^20 cells. */
const cellKey = (cx: number, cy: number) => (cx + 1048576) * 2097152 + (cy + 1048576);

/** A piece of a cluster's floor (world box); a cluster whose members sit apart has several, one labelled. */
export interface ClusterArea extends Box { name: string; labelled: boolean }

export const typeIndex = Object.fromEntries(SERVER_TYPES.map((t, i) => [t, i])) as Record<ServerType, number>;
export const statusIndex = Object.fromEntries(SERVER_STATUSES.map((t, i) => [t, i])) as Record<ServerStatus, number>;
export const linkStatusIndex = Object.fromEntries(CONNECTION_STATUSES.map((t, i) => [t, i])) as Record<ConnectionStatus, number>;
export const LINK_UNKNOWN = linkStatusIndex.unknown;
const linkTypeIndex = Object.fromEntries(CONNECTION_TYPES.map((t, i) => [t, i])) as Record<ConnectionType, number>;

export class Scene {
  readonly n: number;
  readonly ids: string[];
  readonly names: string[];
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly type: Uint8Array;
  readonly status: Uint8Array;
  /** CPU and memory in percent; NaN while unknown. */
  readonly cpu: Float32Array;
  readonly mem: Float32Array;
  readonly index = new Map<string, number>();
  /** Server indices back to front (largest x + y first): isomer's painter's order. */
  readonly order: Uint32Array;
  /** World positions → index, for hit-testing. */
  readonly tree: Quadtree<number>;
  readonly linkIds: string[];
  readonly linkA: Uint32Array;
  readonly linkB: Uint32Array;
  readonly linkType: Uint8Array;
  /** The probe's status of each link, as an index into CONNECTION_STATUSES (LINK_UNKNOWN until told). */
  readonly linkState: Uint8Array;
  /** Links by plane grid cell (LINK_CELL plane units), so a tile only looks at links near it. */
  private readonly linkCells = new Map<number, number[]>();
  /** Links spanning too many cells to index: always looked at. */
  private readonly longLinks: number[] = [];
  private readonly linkStamp: Uint32Array;
  private stamp = 0;
  readonly clusters: ClusterArea[];
  /** The plane box around every block; undefined when there are none. */
  readonly bounds: Box | undefined;

  constructor(input: SceneInput) {
    const list = input.servers.filter((s) => input.positions.has(s.id));
    const n = (this.n = list.length);
    this.ids = list.map((s) => s.id);
    this.names = list.map((s) => s.name);
    this.x = new Float64Array(n);
    this.y = new Float64Array(n);
    this.type = new Uint8Array(n);
    this.status = new Uint8Array(n).fill(statusIndex.unknown);
    this.cpu = new Float32Array(n).fill(NaN);
    this.mem = new Float32Array(n).fill(NaN);
    list.forEach((s, i) => {
      const p = input.positions.get(s.id)!;
      this.x[i] = p.x;
      this.y[i] = p.y;
      this.type[i] = typeIndex[s.type];
      this.index.set(s.id, i);
    });
    this.order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => this.x[b]! + this.y[b]! - (this.x[a]! + this.y[a]!));
    this.tree = quadtree<number>().x((i) => this.x[i]!).y((i) => this.y[i]!).addAll([...this.order]);

    const links = input.connections.filter((c) => this.index.has(c.from) && this.index.has(c.to));
    this.linkIds = links.map((c) => c.id);
    this.linkA = Uint32Array.from(links, (c) => this.index.get(c.from)!);
    this.linkB = Uint32Array.from(links, (c) => this.index.get(c.to)!);
    this.linkType = Uint8Array.from(links, (c) => linkTypeIndex[c.type]);
    this.linkState = new Uint8Array(links.length).fill(LINK_UNKNOWN);
    this.linkStamp = new Uint32Array(links.length);
    for (let j = 0; j < links.length; j++) {
      const b = this.linkBox(j);
      const cx0 = Math.floor(b.minX / LINK_CELL), cx1 = Math.floor(b.maxX / LINK_CELL);
      const cy0 = Math.floor(b.minY / LINK_CELL), cy1 = Math.floor(b.maxY / LINK_CELL);
      if ((cx1 - cx0 + 1) * (cy1 - cy0 + 1) > 16) { this.longLinks.push(j); continue; }
      for (let cx = cx0; cx <= cx1; cx++) {
        for (let cy = cy0; cy <= cy1; cy++) {
          const key = cellKey(cx, cy);
          const list = this.linkCells.get(key);
          if (list) list.push(j); else this.linkCells.set(key, [j]);
        }
      }
    }

    this.clusters = [];
    for (const c of input.clusters) {
      const members = c.servers.map((id) => this.index.get(id)).filter((i): i is number => i !== undefined);
      if (!members.length) continue;
      const isMember = new Set(members);
      const pieces = this.neighbourhoods(members).flatMap((group) => this.floorPieces(group, isMember));
      // The name goes on the biggest piece (usually the only one).
      const area = (p: Box) => (p.maxX - p.minX) * (p.maxY - p.minY);
      const main = pieces.reduce((best, p) => (area(p) > area(best) ? p : best));
      for (const p of pieces) this.clusters.push({ name: c.name, ...p, labelled: p === main });
    }
    // The view fits the floors too, not only the blocks on them.
    const blocks = planeBounds(this.x, this.y);
    this.bounds = blocks && this.clusters.reduce((b, a) => ({
      minX: Math.min(b.minX, COS * (a.minX - a.maxY)), maxX: Math.max(b.maxX, COS * (a.maxX - a.minY)),
      minY: Math.min(b.minY, -SIN * (a.maxX + a.maxY)), maxY: Math.max(b.maxY, -SIN * (a.minX + a.minY)),
    }), blocks);
  }

  /**
   * `members` in groups of neighbours (less than 1.8 pitches apart on both axes, through each
   * other): members placed apart (a cluster spread over regions) get a floor each place they are.
   * Layouts keep groups at least 2 pitches apart.
   */
  private neighbourhoods(members: number[]): number[][] {
    const reach = PITCH * 1.8;
    const parent = members.map((_, k) => k);
    const root = (k: number): number => (parent[k] === k ? k : (parent[k] = root(parent[k]!)));
    const cells = new Map<string, number[]>();
    members.forEach((i, k) => {
      const key = `${Math.floor(this.x[i]! / reach)},${Math.floor(this.y[i]! / reach)}`;
      const list = cells.get(key);
      if (list) list.push(k); else cells.set(key, [k]);
    });
    members.forEach((i, k) => {
      const cx = Math.floor(this.x[i]! / reach), cy = Math.floor(this.y[i]! / reach);
      for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) {
        for (const l of cells.get(`${cx + dx},${cy + dy}`) ?? []) {
          const j = members[l]!;
          if (Math.abs(this.x[i]! - this.x[j]!) < reach && Math.abs(this.y[i]! - this.y[j]!) < reach) parent[root(k)] = root(l);
        }
      }
    });
    const groups = new Map<number, number[]>();
    members.forEach((i, k) => { const r = root(k); const g = groups.get(r); if (g) g.push(i); else groups.set(r, [i]); });
    return [...groups.values()];
  }

  /**
   * Floor boxes around `members` that cover no other server: the box of all of them when it is
   * clear, else the halves (split at the median across the longer side), and so on down.
   */
  private floorPieces(members: number[], isMember: ReadonlySet<number>): Box[] {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const i of members) {
      minX = Math.min(minX, this.x[i]!); maxX = Math.max(maxX, this.x[i]!);
      minY = Math.min(minY, this.y[i]!); maxY = Math.max(maxY, this.y[i]!);
    }
    const box = { minX: minX - FLOOR_MARGIN, minY: minY - FLOOR_MARGIN, maxX: maxX + FLOOR_MARGIN, maxY: maxY + FLOOR_MARGIN };
    // Another server is under the floor when its plate reaches into the box.
    const covered = this.within({ minX: box.minX - REACH, minY: box.minY - REACH, maxX: box.maxX + REACH, maxY: box.maxY + REACH }).some((i) => !isMember.has(i));
    if (!covered || members.length === 1) return [box];
    const alongX = maxX - minX >= maxY - minY;
    const key = alongX ? this.x : this.y;
    const sorted = [...members].sort((a, b) => key[a]! - key[b]! || a - b);
    const half = Math.ceil(sorted.length / 2);
    return [...this.floorPieces(sorted.slice(0, half), isMember), ...this.floorPieces(sorted.slice(half), isMember)];
  }

  /** Copies live values in; returns the servers whose status changed and whether any link did. */
  applyLive(live: LiveInput): { changed: number[]; links: boolean } {
    const changed: number[] = [];
    for (let i = 0; i < this.n; i++) {
      const id = this.ids[i]!;
      const s = statusIndex[live.status(id)];
      if (s !== this.status[i]) { this.status[i] = s; changed.push(i); }
      const l = live.load(id);
      this.cpu[i] = l ? l[0] : NaN;
      this.mem[i] = l ? l[1] : NaN;
    }
    let links = false;
    for (let j = 0; j < this.linkIds.length; j++) {
      const st = linkStatusIndex[live.link(this.linkIds[j]!)];
      if (st !== this.linkState[j]) { this.linkState[j] = st; links = true; }
    }
    return { changed, links };
  }

  /** A link's box on the plane (the projection at scale 1). */
  linkBox(j: number): Box {
    const a = this.linkA[j]!, b = this.linkB[j]!;
    const ax = planeX(this.x[a]!, this.y[a]!), ay = planeY(this.x[a]!, this.y[a]!);
    const bx = planeX(this.x[b]!, this.y[b]!), by = planeY(this.x[b]!, this.y[b]!);
    return { minX: Math.min(ax, bx), minY: Math.min(ay, by), maxX: Math.max(ax, bx), maxY: Math.max(ay, by) };
  }

  /** Links that may cross this plane box (each once). */
  linksIn(b: Box): number[] {
    if (++this.stamp === 0xffffffff) { this.linkStamp.fill(0); this.stamp = 1; }
    const out = [...this.longLinks];
    for (let cx = Math.floor(b.minX / LINK_CELL); cx <= Math.floor(b.maxX / LINK_CELL); cx++) {
      for (let cy = Math.floor(b.minY / LINK_CELL); cy <= Math.floor(b.maxY / LINK_CELL); cy++) {
        for (const j of this.linkCells.get(cellKey(cx, cy)) ?? []) {
          if (this.linkStamp[j] !== this.stamp) { this.linkStamp[j] = this.stamp; out.push(j); }
        }
      }
    }
    return out;
  }

  /** The server nearest the world point within `radius`, or undefined. */
  hit(p: Pt, radius: number): number | undefined {
    return this.tree.find(p.x, p.y, radius);
  }

  /** Every server whose centre lies in the world box. */
  within(b: Box): number[] {
    const out: number[] = [];
    this.tree.visit((node, x0, y0, x1, y1) => {
      if (!node.length) {
        for (let leaf: typeof node | undefined = node; leaf; leaf = (leaf as { next?: typeof node }).next) {
          const i = (leaf as { data: number }).data;
          const x = this.x[i]!, y = this.y[i]!;
          if (x >= b.minX && x <= b.maxX && y >= b.minY && y <= b.maxY) out.push(i);
        }
      }
      return x0 > b.maxX || y0 > b.maxY || x1 < b.minX || y1 < b.minY;
    });
    return out;
  }
}
