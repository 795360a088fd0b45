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

/** Sum of the sizes of the typed arrays in a result (a number, a typed array, or a tuple/object of these). */
export function resultBytes(r) {
  if (r === null || r === undefined || typeof r === "number") return 0;
  if (ArrayBuffer.isView(r)) return r.byteLength;
  if (Array.isArray(r)) return r.reduce((t, x) => t + resultBytes(x), 0);
  if (typeof r === "object") return Object.values(r).reduce((t, x) => t + resultBytes(x), 0);
  return 0;
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
