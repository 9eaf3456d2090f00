/**
 * What every WebAssembly kernel loader shares: the on/off switch (`useWasmKernels`; the CLI maps
 * HEDGEKIT_NO_WASM=1 to off) and a compile step that returns null where WebAssembly SIMD is not
 * available, so the JavaScript kernels (the reference) run instead.
 */

/** The part of the WebAssembly JS API used here (tsconfig's ES2023 lib has no WebAssembly types). */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
  CompileError: new () => Error;
}
/** The host's WebAssembly object. */
export const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** A WebAssembly memory. hedgekit never grows one (see `newMemory`): views on it stay valid. */
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
 * A new memory of at least `bytes` (whole 64 KiB pages), or null when the host refuses them (a
 * RangeError: address space or memory exhausted) — the caller then runs its JavaScript path.
 * Kernels get their memory at its final size and never grow it: `grow` detaches the old
 * ArrayBuffer, and after one detached ArrayBuffer V8 checks every typed-array access of the process
 * for detachment (its protector is gone for good) — measured here: a JavaScript loop over Float64Arrays
 * 1.37 → 2.08 ns per element after a single `grow` anywhere.
 */
export function newMemory(bytes: number): WasmMemory | null {
  try {
    // at least the 8 pages the modules declare (ASC_FLAGS' --initialMemory 8)
    return new WA.Memory({ initial: Math.max(8, Math.ceil(bytes / 65536)) });
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}
