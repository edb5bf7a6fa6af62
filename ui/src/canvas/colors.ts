/** Status colours, shared by the canvas blocks and the list's badges so both read the same. */
import type { ConnectionStatus, ConnectionType, ServerStatus, ServerType } from '../../../agent/protocol/types.js';

export const STATUS_RGB: Record<ServerStatus, readonly [number, number, number]> = {
  active: [76, 175, 80], // #4CAF50
  warning: [255, 193, 7], // #FFC107
  inactive: [229, 57, 53], // #E53935
  unknown: [158, 158, 158], // #9E9E9E
};

export const STATUS_LABEL: Record<ServerStatus, string> = {
  active: 'Active', warning: 'Warning', inactive: 'Inactive', unknown: 'Unknown',
};

export const hex = (rgb: readonly [number, number, number]) => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;

export type Rgb = readonly [number, number, number];

/** Block colours by server type, from the product brief. */
export const TYPE_RGB: Record<ServerType, Rgb> = {
  web: [0x4c, 0xaf, 0x50],
  database: [0x21, 0x96, 0xf3],
  dns: [0xff, 0x98, 0x00],
  cache: [0x9c, 0x27, 0xb0],
  loadbalancer: [0xf4, 0x43, 0x36],
  filesystem: [0x79, 0x55, 0x48],
  monitoring: [0x60, 0x7d, 0x8b],
  backup: [0xff, 0x57, 0x22],
  security: [0xe9, 0x1e, 0x63],
};

export const TYPE_LABEL: Record<ServerType, string> = {
  web: 'Web', database: 'Database', dns: 'DNS', cache: 'Cache', loadbalancer: 'Load balancer',
  filesystem: 'File system', monitoring: 'Monitoring', backup: 'Backup', security: 'Security',
};

/** Connection lines: the inner stroke by type, drawn only on a line the probe says is up. */
export const CONNECTION_RGB: Record<ConnectionType, Rgb> = {
  standard: [0x54, 0x6e, 0x7a], http: [0x4c, 0xaf, 0x50], database: [0x21, 0x96, 0xf3], cache: [0x9c, 0x27, 0xb0], monitoring: [0x60, 0x7d, 0x8b],
  filesystem: [0x79, 0x55, 0x48],
};
/**
 * The outer stroke by the probe's status: blue only when it connected; red when it failed; and
 * when there is no probe result, a dashed grey line without the type's colour, so nothing about it
 * looks live.
 */
export const LINK_STATUS_CSS: Record<ConnectionStatus, string> = { connected: '#2196f3', disconnected: '#e53935', unknown: '#a7b1b9' };
/** Dash pattern (CSS pixels) of a line with no probe result. */
export const LINK_UNKNOWN_DASH = [7, 5];

/**
 * A server no agent reports for yet is drawn washed out (its type still tells), so it never
 * passes for one that is up.
 */
export const ghost = (rgb: Rgb): Rgb => rgb.map((c) => Math.round(c * 0.3 + 205 * 0.7)) as unknown as Rgb;

/** `rgb` darkened (f < 1) or lightened (f > 1) for the sides of a block. */
export const shade = (rgb: Rgb, f: number): Rgb => rgb.map((c) => Math.max(0, Math.min(255, Math.round(f > 1 ? c + (255 - c) * (f - 1) : c * f)))) as unknown as Rgb;

export interface Theme {
  name: 'light' | 'dark';
  background: string;
  label: string;
  /** The pill under names, so they read over lines and blocks. */
  labelBackground: string;
  clusterFill: string;
  clusterStroke: string;
  clusterLabel: string;
  selection: string;
  lasso: string;
}

export const THEMES: Record<Theme['name'], Theme> = {
  light: {
    name: 'light', background: '#f3f6f9', label: '#2d3748', labelBackground: 'rgba(243,246,249,0.88)', clusterFill: 'rgba(47,128,237,0.08)', clusterStroke: 'rgba(47,128,237,0.45)',
    clusterLabel: '#1f4f8f', selection: '#1565c0', lasso: 'rgba(33,150,243,0.15)',
  },
  dark: {
    name: 'dark', background: '#161b22', label: '#d7dee6', labelBackground: 'rgba(22,27,34,0.86)', clusterFill: 'rgba(120,170,255,0.10)', clusterStroke: 'rgba(120,170,255,0.5)',
    clusterLabel: '#9cc2ff', selection: '#ffd54f', lasso: 'rgba(255,213,79,0.15)',
  },
};
