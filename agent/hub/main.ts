/** `node dist/hub.mjs`: the hub alone (inside Webmin, or with agents started elsewhere). */
import './v8-flags.js';
import { fail, runHub } from './run.js';

runHub().catch(fail);
