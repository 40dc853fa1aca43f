/** `tributary demo`: sample feeds served and aggregated on this machine, no network needed. */
import { SingleBar } from 'cli-progress';
import { DEMO_FEEDS, type DemoOptions, demoReport, refreshDemo, startDemo } from '../../demo/index.js';
import { EXIT_SOURCES_FAILED, type GlobalOptions, logger } from '../app.js';

export async function demoCommand(
  opts: GlobalOptions & { listen?: string; once?: boolean },
): Promise<number> {
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: 'refresh [{bar}] {value}/{total} sample feeds  {name}', hideCursor: true })
    : undefined;
  const options: DemoOptions = {
    ...(opts.config && { config: opts.config }),
    ...(opts.database && { database: opts.database }),
    ...(opts.listen && { listen: opts.listen }),
    // With a bar on screen, per-source warnings would tear it; the report says what failed.
    log: logger(process.env.TRIBUTARY_LOG_LEVEL ?? (bar ? 'error' : 'warn')),
    onProgress: (done, _total, r) => bar?.update(done, { name: r.source.name ?? r.source.url }),
  };
  const withBar = async <T>(run: () => Promise<T>): Promise<T> => {
    bar?.start(DEMO_FEEDS.length, 0, { name: '' });
    try {
      return await run();
    } finally {
      bar?.stop();
    }
  };

  if (opts.once) {
    const demo = await withBar(() => refreshDemo(options));
    console.log(demoReport(demo));
    await demo.close();
    return demo.summary.failed > 0 ? EXIT_SOURCES_FAILED : 0;
  }
  const demo = await withBar(() => startDemo(options));
  console.log(`${demoReport(demo)}\n\nThe river: ${demo.url}  (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await demo.close();
  return 0;
}
