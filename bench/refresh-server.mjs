// The refresh bench's feed server, run as a child process (forked by bench/refresh.mjs) so that serving does
// not share an event loop with the engine being measured. GET /feed/<i> serves corpus feed i % count with a
// per-source ETag; a matching If-None-Match gets 304. Reports `{ port, source, feeds }` over IPC once
// listening, and exits when the parent goes away.
import { createServer } from 'node:http';
import { loadCorpus } from './lib/corpus.mjs';

const { source, feeds } = loadCorpus();

const server = createServer((req, res) => {
  const match = /^\/feed\/(\d{1,7})$/.exec(req.url ?? '');
  if (req.method !== 'GET' || !match) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('no such feed\n');
    return;
  }
  const index = Number(match[1]);
  const feed = feeds[index % feeds.length];
  // Distinct per source, as two real sites serving the same bytes would not share an ETag.
  const etag = `"${feed.digest.slice(0, 16)}-${index}"`;
  const sent = req.headers['if-none-match'];
  if (sent?.split(',').some((tag) => tag.trim() === etag)) {
    res.writeHead(304, { etag }).end();
    return;
  }
  res
    .writeHead(200, { 'content-type': feed.contentType, 'content-length': feed.bytes.length, etag })
    .end(feed.bytes);
});

server.listen(0, '127.0.0.1', () => {
  process.send({ port: server.address().port, source, feeds: feeds.length });
});
process.on('disconnect', () => process.exit(0));
