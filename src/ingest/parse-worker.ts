/** A parse-pool thread: reads one feed per message (read-feed.ts) and posts back the feed or the error. */
import { parentPort } from 'node:worker_threads';
import { type ReadRequest, readFeed, toReadError } from './read-feed.js';

const port = parentPort;
if (!port) throw new Error('parse-worker.js runs as a worker thread of a ParsePool');
port.on('message', (request: ReadRequest) => {
  try {
    port.postMessage({ result: readFeed(request) });
  } catch (e) {
    port.postMessage({ error: toReadError(e) });
  }
});
// Loaded and listening: the pool times parses from here on, not the thread's start-up.
port.postMessage({ ready: true });
