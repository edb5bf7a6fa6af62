/**
 * V8 tuning for a process that runs a few small functions once a second. The optimizing
 * compilers gain it nothing measurable, yet their compiled code and compiler memory add ~4 MB
 * of RSS (bench/agent-cost.mjs: peak 61 → 57 MB, CPU unchanged). Imported first by main.ts so
 * nothing is optimized before.
 */
import { setFlagsFromString } from 'node:v8';
import { optimizerOffFlags } from './optimizer-flags.js';

setFlagsFromString(optimizerOffFlags(process.versions.v8));
