/**
 * What every WebAssembly kernel loader shares: the on/off switch (`useWasmKernels`; the CLI maps
 * HEDGEKIT_NO_WASM=1 to off) and a compile step that returns null where WebAssembly SIMD is not
 * available, so the JavaScript kernels (the reference) run instead.
 */

/** The part of the WebAssembly JS API used here (tsconfig's ES2023 lib has no WebAssembly types). */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
  CompileError: new () => Error;
}
/** The host's WebAssembly object. */
export const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** An exported WebAssembly memory (grown only right after instantiation: views stay valid). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

let enabled = true;

/** Turns the WebAssembly kernels on (default) or off (the JavaScript kernels then run everywhere). */
export function useWasmKernels(on: boolean): void {
  enabled = on;
}

/** Whether the WebAssembly kernels may run (the switch; each loader also needs its module). */
export function wasmKernelsEnabled(): boolean {
  return enabled;
}

/**
 * Compiles a module from its base64 bytes, or returns null when this host cannot (no WebAssembly
 * SIMD: a CompileError). Any other error is a bug and is thrown.
 */
export function compileWasm(base64: string): object | null {
  try {
    return new WA.Module(Buffer.from(base64, 'base64'));
  } catch (e) {
    if (!(e instanceof WA.CompileError)) throw e;
    return null;
  }
}

/**
 * Grows `memory` to at least `bytes`, or returns false when the host refuses the pages (a
 * RangeError: address space or memory exhausted) — the caller then runs its JavaScript path.
 */
export function growTo(memory: WasmMemory, bytes: number): boolean {
  const have = memory.buffer.byteLength;
  if (bytes <= have) return true;
  try {
    memory.grow(Math.ceil((bytes - have) / 65536));
    return true;
  } catch (e) {
    if (e instanceof RangeError) return false;
    throw e;
  }
}
