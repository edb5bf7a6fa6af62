#!/usr/bin/env node
/**
 * clusterctl: the command-line client of the Unlimited Cluster hub. This file is only the edge
 * to the real process; run.ts does the work.
 */
import { main } from './run.js';
import { nodeIo } from './node-io.js';

// `clusterctl servers list | head` closes the pipe early: that is not an error worth a trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

process.exitCode = await main(process.argv.slice(2), process.env, nodeIo());
