// Node host for the module (a Cloudflare Worker or a browser does the same):
// loads the .wasm, gives it randomness (crypto.getRandomValues) and the time,
// mints a Google service-account assertion and prints `token=<jwt>`.
// Usage: node run.mjs <module.wasm> <service-account.json> <scope> [now]
import { readFileSync } from "node:fs";
import { webcrypto } from "node:crypto";

const [wasmPath, keyPath, scope, nowArg] = process.argv.slice(2);
let memory;
const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {
  env: {
    random_fill(ptr, len) {
      for (let off = 0; off < len; off += 65536) {
        webcrypto.getRandomValues(new Uint8Array(memory.buffer, ptr + off, Math.min(65536, len - off)));
      }
      return 0;
    },
  },
});
const x = instance.exports;
memory = x.memory;
const put = (bytes) => {
  const ptr = x.jwtmint_alloc(bytes.length);
  new Uint8Array(memory.buffer, ptr, bytes.length).set(bytes);
  return [ptr, bytes.length];
};
const json = put(readFileSync(keyPath));
const sc = put(new TextEncoder().encode(scope));
const now = BigInt(nowArg ?? Math.floor(Date.now() / 1000));
const n = x.jwtmint_google_mint(json[0], json[1], sc[0], sc[1], now);
const text = new TextDecoder().decode(new Uint8Array(memory.buffer, x.jwtmint_out(), Math.abs(n)));
x.jwtmint_free(...json);
x.jwtmint_free(...sc);
if (n < 0) {
  console.log(`error=${text}`);
  process.exit(1);
}
console.log(`token=${text}`);
