/**
 * V8 tuning for the hub. Its heap churns with short-lived objects (10,000 metrics frames a
 * second, a browser delta every 250 ms) while what it keeps is small; by default V8 lets the heap
 * grow to several times what is live before collecting. `--optimize-for-size` grows it less:
 * bench/fleet.mjs at 3,000 agents measured heap 80–122 → 46–61 MB and RSS 354–395 → 315–329 MB
 * for a few points of CPU. Imported first by the hub's entry points, before anything allocates.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--optimize-for-size');
