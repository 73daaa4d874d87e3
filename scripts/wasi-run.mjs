// CARGO_TARGET_WASM32_WASIP1_RUNNER for the library's tests: runs a
// wasm32-wasip1 test binary under Node's built-in WASI (node:wasi, Node >= 20)
// with the repository preopened at its own absolute path (the tests read the
// vendored vectors and key files through CARGO_MANIFEST_DIR paths) and also
// as "/", where relative paths resolve (WASI's working directory is "/"; cargo
// runs tests natively in the package root), and the environment passed through. No network, no processes: WASI preview 1 has
// neither, so tests that need them are ignored on target_os = "wasi".
//
//   CARGO_TARGET_WASM32_WASIP1_RUNNER="node --no-warnings $PWD/scripts/wasi-run.mjs"
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { WASI } from "node:wasi";

const [wasm, ...args] = process.argv.slice(2);
if (!wasm) {
  console.error("usage: node wasi-run.mjs <test.wasm> [args...]");
  process.exit(2);
}
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const wasi = new WASI({
  version: "preview1",
  args: [wasm, ...args],
  env: process.env,
  preopens: { [root]: root, "/": root },
  returnOnExit: true,
});
const module = await WebAssembly.compile(await readFile(wasm));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exit(wasi.start(instance));
