/**
 * V8 tuning for a process that runs a few small functions once a second. The optimizing
 * compilers gain it nothing measurable, yet their compiled code and compiler memory add ~4 MB
 * of RSS (bench/agent-cost.mjs: peak 61 → 57 MB, CPU unchanged). Imported first by main.ts so
 * nothing is optimized before. V8 ignores flags it does not know, so each version's names are
 * listed (--opt up to V8 10, --turbofan after, --maglev from V8 11).
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--no-opt --no-turbofan --no-maglev');
