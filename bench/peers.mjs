// The JavaScript peers of tsgrad side by side on the workloads they implement
// (logistic regression, the MLP, GMM): TF.js on its Wasm backend and jax-js on its
// Wasm device, next to TF.js on its CPU backend (timed in the main table). A peer
// that cannot load or run a workload here gets the reason in its cell instead of a
// time; a gradient that disagrees with tsgrad's fails the run as the TF.js CPU
// check does.
import { readFileSync } from "node:fs";
import { loadJax } from "./jaxjs.mjs";
import { loadTfWasm, onBackend } from "./tfjs.mjs";

/** The peers timed here; `tol` is the largest max |Δ| / max |g| against tsgrad's gradient. */
export const PEERS = [
  // float32 throughout
  { key: "tfjsWasm", label: "TF.js Wasm", precision: "float32", tol: 5e-3 },
  // float64 arrays, but its exp and tanh kernels are accurate to ~1e-7 and ~1e-6 relative (measured), not to double rounding
  { key: "jaxjs", label: "jax-js Wasm", precision: "float64, jit", tol: 1e-5 },
];

/** The installed jax-js version (its package exports no package.json). */
export function jaxjsVersion() {
  try {
    return JSON.parse(readFileSync(new URL("../node_modules/@jax-js/jax/package.json", import.meta.url), "utf8")).version;
  } catch {
    return "?";
  }
}

const reason = (e) => {
  const line = String(e?.message ?? e).split("\n")[0].trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
};

/** Flattens a gradient (number, typed array, or array of these) into a plain array. */
function flat(g) {
  if (typeof g === "number") return [g];
  if (Array.isArray(g)) return g.flatMap(flat);
  return Array.from(g);
}

function relDiff(got, ref) {
  if (got.length !== ref.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - ref[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  return diff / scale;
}

/**
 * Builds each peer's version of each workload. `workloads`: { key, args, tf(tf), jax(jax) },
 * args being what the peer's gradient function takes. Leaves TF.js on its CPU backend.
 * Returns, per peer key, per workload key, { run } or { unavailable: reason }.
 */
export async function buildPeers(tf, workloads) {
  const each = (make) =>
    Object.fromEntries(
      workloads.map((w) => {
        try {
          return [w.key, { run: make(w) }];
        } catch (e) {
          return [w.key, { unavailable: reason(e) }];
        }
      }),
    );
  const all = (why) => Object.fromEntries(workloads.map((w) => [w.key, { unavailable: why }]));
  const peers = {};
  try {
    await loadTfWasm(tf);
    peers.tfjsWasm = each((w) => onBackend(tf, "wasm", w.tf(tf)));
  } catch (e) {
    peers.tfjsWasm = all(`TF.js Wasm backend does not load: ${reason(e)}`);
  } finally {
    await tf.setBackend("cpu");
  }
  try {
    const jax = await loadJax();
    peers.jaxjs = each((w) => w.jax(jax));
  } catch (e) {
    peers.jaxjs = all(`jax-js does not load: ${reason(e)}`);
  }
  return peers;
}

/**
 * Runs each peer's gradient once and compares it with tsgrad's (`reference(key)`, flat).
 * A throw makes the cell unavailable; a disagreement marks it wrong. Returns whether
 * every peer that ran agreed.
 */
export function checkPeers(peers, workloads, reference, log) {
  let ok = true;
  for (const peer of PEERS) {
    for (const w of workloads) {
      const cell = peers[peer.key][w.key];
      if (cell.unavailable) {
        log(`n/a  ${w.label.padEnd(20)} ${peer.label}: ${cell.unavailable}`);
        continue;
      }
      try {
        cell.relDiff = relDiff(flat(cell.run(...w.args)), reference(w.key));
      } catch (e) {
        cell.unavailable = reason(e);
        delete cell.run;
        log(`n/a  ${w.label.padEnd(20)} ${peer.label}: cannot run here: ${cell.unavailable}`);
        continue;
      }
      const good = Number.isFinite(cell.relDiff) && cell.relDiff <= peer.tol;
      log(
        `${good ? "ok  " : "FAIL"} ${w.label.padEnd(20)} ${peer.label} vs tsgrad  max |Δ| / max |g| = ${cell.relDiff.toExponential(1)} (${peer.precision}; tolerance ${peer.tol.toExponential(1)})`,
      );
      if (!good) {
        cell.wrong = true;
        ok = false;
      }
    }
  }
  return ok;
}

/**
 * Times every peer cell that ran and agreed within `budgetMs` in all, each round-robin with
 * tsgrad's gradient of the same workload (`tsgrad(key)`), so that the ratio of the two is
 * measured under the same machine load (the peer's garbage may be collected inside a tsgrad
 * sample: if anything, that flatters the peer).
 */
export function timePeers(peers, workloads, tsgrad, measureGroup, budgetMs, log) {
  const cells = PEERS.flatMap((peer) => workloads.map((w) => ({ peer, w, cell: peers[peer.key][w.key] }))).filter(
    ({ cell }) => cell.run && !cell.wrong,
  );
  const started = process.hrtime.bigint();
  cells.forEach(({ peer, w, cell }, index) => {
    const spent = Number(process.hrtime.bigint() - started) / 1e6;
    const share = Math.max(0, budgetMs - spent) / (cells.length - index);
    const [ours, theirs] = measureGroup([tsgrad(w.key), () => cell.run(...w.args)], { budgetMs: share, minCalls: 2, minSamples: 3 });
    cell.time = theirs;
    cell.tsgradTime = ours;
    log(`  ${w.label}, ${peer.label} and tsgrad: ${theirs.samples} samples`);
  });
}
