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

const io: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (text) => process.stderr.write(text),
  progress: process.stderr.isTTY ? process.stderr : undefined,
};

// HEDGEKIT_NO_WASM=1 forces the JavaScript kernels (the reference; results are bit-identical).
if (process.env.HEDGEKIT_NO_WASM === '1') useWasmKernels(false);

process.exitCode = await runCli(process.argv.slice(2), io);
