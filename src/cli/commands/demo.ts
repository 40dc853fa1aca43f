/** `tributary demo`: sample feeds served and aggregated on this machine, no network needed. */
import { DEMO_FEEDS, type DemoOptions, demoReport, refreshDemo, startDemo } from '../../demo/index.js';
import { EXIT_SOURCES_FAILED, type GlobalOptions } from '../app.js';
import { progress } from '../progress.js';

export async function demoCommand(
  opts: GlobalOptions & { listen?: string; once?: boolean },
): Promise<number> {
  const bar = await progress(process.stderr.isTTY === true, 'sample feeds', 'warn');
  const options: DemoOptions = {
    ...(opts.config && { config: opts.config }),
    ...(opts.database && { database: opts.database }),
    ...(opts.listen && { listen: opts.listen }),
    log: bar.log,
    onProgress: (done, _total, r) => bar.update(done, r.source.name ?? r.source.url),
  };
  const withBar = async <T>(run: () => Promise<T>): Promise<T> => {
    bar.start(DEMO_FEEDS.length);
    try {
      return await run();
    } finally {
      bar.stop();
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
