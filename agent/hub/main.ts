/** `node dist/hub.mjs`: the hub (inside Webmin, or with agents started elsewhere), with this host's agent when LOCAL_AGENT=1. */
import './v8-flags.js';
import { keepLocalAgent } from './local-agent.js';
import { fail, runHub } from './run.js';

runHub().then(({ hub, config }) => { if (config.localAgent) keepLocalAgent(hub, config); }).catch(fail);
