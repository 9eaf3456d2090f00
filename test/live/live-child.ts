/**
 * Child process of the SIGKILL test: runs `hedgekit live` on the config given in argv[2] with the
 * system clock, printing `step <i>` after every published step and `done` at the end.
 */
import { loadLiveConfig } from '../../src/live/config.ts';
import { openLive } from '../../src/live/run-live.ts';

const session = await openLive(loadLiveConfig(process.argv[2]), {
  onState: (s) => {
    if (s.step >= 0) process.stdout.write(`step ${s.step}\n`);
  },
});
await session.run();
session.close();
process.stdout.write('done\n');
