import { STATE_VERSION } from '../protocol/state.js';
import type { State } from '../protocol/types.js';
import { defaultAlertRules } from './alerts/default-rules.js';

export function emptyState(): State {
  return {
    format: 'unlimited-cluster-state', version: STATE_VERSION, revision: 0,
    servers: [], connections: [], clusters: [], layout: {}, users: [], apiTokens: [], audit: [], joinTokens: [], agentCredentials: [],
    alertRules: defaultAlertRules(), alerts: [],
  };
}
