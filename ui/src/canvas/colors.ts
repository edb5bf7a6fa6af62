/** Status colours, shared by the canvas blocks and the list's badges so both read the same. */
import type { ServerStatus } from '../../../agent/protocol/types.js';

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
