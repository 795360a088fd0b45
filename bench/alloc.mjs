// Bytes allocated per call: the growth of V8's used heap plus ArrayBuffer backing
// stores (large Float64Arrays live outside the JS heap) across a batch of calls,
// after a forced full GC. A collection inside the batch frees some of what the
// batch allocated; v8.GCProfiler reports every such collection with the heap's
// used size before and after, so what it freed is added back (exact for the JS
// heap). The results are kept alive until the end of the batch, and the batch is
// kept small, so no ArrayBuffer a call allocated is freed before it is counted.
import v8 from "node:v8";
import vm from "node:vm";

/** global.gc, exposing it at run time when node was started without --expose-gc. */
export function exposeGc() {
  if (typeof globalThis.gc === "function") return globalThis.gc;
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc");
}

/**
 * The bytes of a result that belong to the gradient itself: the data of its typed
 * arrays, and its arrays of records (the gradient of a `Body[]` is a `Body[]`),
 * those measured with `measure` as the allocation of a copy of the same shape
 * (`new Array(n)` of `{ ...record }`: V8 gives the copy the records' layout). The
 * number[] of a number[]'s gradient counts too; a tuple of results, and the typed
 * arrays' headers, are not counted (they do not grow with the trip count).
 */
export function resultBytes(r, measure) {
  if (r === null || r === undefined || typeof r !== "object") return 0;
  if (ArrayBuffer.isView(r)) return r.byteLength;
  if (Array.isArray(r) && r.length > 0 && r.every(isRecord)) {
    const copy = recordsCopier(r);
    // Tiered up first: the first calls' object spread takes V8's slow path, and code
    // optimised during the measured batches would count its own allocation.
    for (let i = 0; i < 500; i++) copy(r);
    return measure(() => copy(r));
  }
  if (Array.isArray(r) && r.length > 2 && r.every((x) => typeof x === "number")) return measure(() => r.slice()); // a number[]'s gradient, not a tuple of scalars
  if (Array.isArray(r)) return r.reduce((t, x) => t + resultBytes(x, measure), 0);
  return Object.values(r).reduce((t, x) => t + resultBytes(x, measure), 0);
}

const isRecord = (x) => x !== null && typeof x === "object" && !ArrayBuffer.isView(x);

/**
 * A function that copies an array of records (or tuples) shaped like `rs`, nested
 * records and arrays copied too. The shape is read beforehand, so a copy allocates
 * only what the copied values hold: only `{ ...record }` touches a number field
 * (reading one in unoptimised code would box it in a heap number), and no key
 * list is made per record.
 */
function recordsCopier(rs) {
  const element = valueCopier(rs[0]);
  return (xs) => {
    const out = new Array(xs.length);
    for (let i = 0; i < xs.length; i++) out[i] = element(xs[i]);
    return out;
  };
}

function valueCopier(x) {
  if (Array.isArray(x)) return isRecord(x[0]) ? recordsCopier(x) : (xs) => xs.slice();
  if (ArrayBuffer.isView(x)) return (xs) => xs.slice();
  const nested = Object.keys(x)
    .filter((k) => isRecord(x[k]))
    .map((k) => [k, valueCopier(x[k])]);
  return (r) => {
    const copy = { ...r };
    for (let i = 0; i < nested.length; i++) copy[nested[i][0]] = nested[i][1](r[nested[i][0]]);
    return copy;
  };
}

/**
 * Returns `measure(fn, consume)`: the bytes one call of `fn` allocates (median of
 * `repeats` batches), the batch size, and how many GCs ran inside the batches.
 */
export function allocMeter({ repeats = 3, batchBytes = 1 << 20, maxBatch = 20 } = {}) {
  const gc = exposeGc();

  /** Bytes allocated by `batch` calls, and the number of GCs that ran in between. */
  function once(fn, consume, batch) {
    gc();
    const profiler = new v8.GCProfiler();
    const kept = new Array(batch).fill(undefined); // results stay alive until measured: a GC must not free their buffers first
    const m0 = process.memoryUsage();
    profiler.start();
    for (let i = 0; i < batch; i++) consume((kept[i] = fn()));
    const m1 = process.memoryUsage();
    const { statistics } = profiler.stop();
    kept.fill(undefined);
    let freed = 0;
    for (const s of statistics) freed += s.beforeGC.heapStatistics.usedHeapSize - s.afterGC.heapStatistics.usedHeapSize;
    return { bytes: m1.heapUsed - m0.heapUsed + freed + (m1.arrayBuffers - m0.arrayBuffers), gcs: statistics.length };
  }

  let baseline; // what the measurement itself allocates (memoryUsage objects, the profiler), around no-op calls
  function measure(fn, consume) {
    if (baseline === undefined) {
      const b = [];
      for (let r = 0; r < 5; r++) b.push(once(() => 0, () => {}, 1).bytes);
      baseline = b.sort((x, y) => x - y)[2];
    }
    for (let i = 0; i < 3; i++) consume(fn()); // warm (and let a tsgrad stack reach its size)
    const probe = once(fn, consume, 1);
    const batch = Math.max(1, Math.min(maxBatch, Math.floor(batchBytes / Math.max(1, probe.bytes))));
    const samples = [];
    let gcs = 0;
    for (let r = 0; r < repeats; r++) {
      const s = once(fn, consume, batch);
      gcs += s.gcs;
      samples.push(Math.max(0, s.bytes - baseline) / batch);
    }
    samples.sort((x, y) => x - y);
    return { bytes: samples[Math.floor(samples.length / 2)], batch, gcs };
  }
  return { measure };
}
