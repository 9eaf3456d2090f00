/**
 * Process entry of the `hedgekit` CLI: the only module that touches `process` (argv, the standard
 * streams, the exit code). Everything below it writes through the injected {@link CliIo}.
 */
import { useWasmKernels } from '../api.ts';
import type { CliIo } from './io.ts';
import { runCli } from './program.ts';

// A reader that goes away early (`hedgekit regimes | head -1`) makes the next write fail with EPIPE,
// emitted as an 'error' event that would otherwise crash with a stack trace. Stop quietly instead,
// as Unix tools do; any other stream error ends the run with exit code 2 and no stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    process.exit(e.code === 'EPIPE' ? 0 : 2);
  });
}

// Standard output is written in blocks of up to 64 KiB: a million-row `price --file` is a thousand
// writes, not a million. A block goes out when full, when the event loop next turns (so streaming
// commands show each line at once) and before anything is written to stderr (order is kept).
const BLOCK_BYTES = 1 << 16;
let pending = '';
let scheduled = false;
const flush = () => {
  scheduled = false;
  if (pending === '') return;
  const text = pending;
  pending = '';
  process.stdout.write(text);
};

let interrupt: AbortController | undefined;
const io: CliIo = {
  stdout: (line) => {
    pending += `${line}\n`;
    if (pending.length >= BLOCK_BYTES) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  },
  stderr: (text) => {
    flush();
    process.stderr.write(text);
  },
  progress: process.stderr.isTTY ? process.stderr : undefined,
  columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  // a getter: the stream is created only by the commands that read it (it would hold the process)
  get stdin() {
    return process.stdin;
  },
  cwd: process.cwd(),
  env: process.env,
  // Clean Ctrl-C for the commands that ask (sweep, worker): the first signal aborts, a second exits.
  interrupts: () => {
    if (!interrupt) {
      const ctl = new AbortController();
      interrupt = ctl;
      const onSignal = () => {
        if (ctl.signal.aborted) process.exit(130);
        ctl.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    }
    return interrupt.signal;
  },
  drain: () => {
    flush();
    return process.stdout.writableNeedDrain
      ? new Promise((resolve) => process.stdout.once('drain', () => resolve()))
      : Promise.resolve();
  },
};

// HEDGEKIT_NO_WASM=1 forces the JavaScript kernels (the reference; results are bit-identical).
if (process.env.HEDGEKIT_NO_WASM === '1') useWasmKernels(false);

const code = await runCli(process.argv.slice(2), io);
flush();
process.exitCode = code;
