// Rows of bench/structured.ts for bench/run.mjs: each workload twice, written
// flat and structured, both next to the hand-written gradient. The structured
// row names its flat twin (`twin`): run.mjs times the twin's gradient in the
// same round-robin as the structured one, so their ratio is taken under one
// machine load (rows timed one after the other see different loads, and the
// garbage collector's pauses for the returned arrays land in either).

/**
 * The rows, given run.mjs's helpers: `generator(seed)`, `flat(g)` (a gradient as
 * numbers), `maxAbsDiff`, `maxAbs`, and `loaded(file)` (the compiled module).
 */
export function structuredRows({
  generator,
  flat,
  maxAbsDiff,
  maxAbs,
  loaded,
}) {
  // (a) kernel: 200 points on a line, weights ~ N(0, 1), ℓ = 0.5
  const KERNEL = { n: 200, ell: 0.5 };
  const kernel = (() => {
    const g = generator(20261130);
    return {
      x: g.fill(KERNEL.n, () => g.uniform(-2, 2)),
      v: g.fill(KERNEL.n, () => g.normal()),
    };
  })();
  const kernelArgs = (n = KERNEL.n) => [
    kernel.x.subarray(0, n),
    kernel.v.subarray(0, n),
    KERNEL.ell,
  ];

  // (b) arm: lengths 1 and 0.7, 20,000 targets at base angles ~ U(−π, π)
  const ARM = { targets: 20_000 };
  const arm = (() => {
    const g = generator(20261131);
    const phis = g.fill(ARM.targets, () => g.uniform(-Math.PI, Math.PI));
    const targets = g.fill(2 * ARM.targets, () => g.uniform(-1.5, 1.5));
    const records = {
      shoulder: { angle: 0.3, length: 1 },
      elbow: { angle: -0.8, length: 0.7 },
    };
    const packed = Float64Array.of(0.3, 1, -0.8, 0.7);
    return { phis, targets, records, packed };
  })();
  const armArgs = (p, n = ARM.targets) => [
    p,
    arm.phis.subarray(0, n),
    arm.targets.subarray(0, 2 * n),
  ];
  const armFlatOf = (g) =>
    g instanceof Float64Array
      ? Array.from(g)
      : [g.shoulder.angle, g.shoulder.length, g.elbow.angle, g.elbow.length];

  // (c) knots: 64 knots at sorted times in [0, 1] (ends pinned), values ~ N(0, 1); 20,000 queries in [0, 1)
  const KNOTS = { knots: 64, queries: 20_000 };
  const knots = (() => {
    const g = generator(20261132);
    const ts = g
      .fill(KNOTS.knots, (i) =>
        i === 0 ? 0 : i === KNOTS.knots - 1 ? 1 : g.uniform(0, 1),
      )
      .sort();
    const ys = g.fill(KNOTS.knots, () => g.normal());
    const qs = g.fill(KNOTS.queries, () => g.uniform(0, 0.999));
    const obs = g.fill(KNOTS.queries, (k) => Math.sin(6 * qs[k]));
    return { ts, ys, qs, obs };
  })();
  const knotsArgs = (n = KNOTS.queries) => [
    knots.ys,
    knots.ts,
    knots.qs.subarray(0, n),
    knots.obs.subarray(0, n),
  ];

  // (d) chain: 20,000 samples near y = 0.8x − 0.3, x ~ U(−1, 1) (about half are kept)
  const CHAIN = { samples: 20_000 };
  const chain = (() => {
    const g = generator(20261133);
    const pts = Array.from({ length: CHAIN.samples }, () => {
      const x = g.uniform(-1, 1);
      return { x, y: 0.8 * x - 0.3 + 0.1 * g.normal() };
    });
    return { pts, ab: Float64Array.of(0.5, 0.1) };
  })();
  const chainArgs = (n = CHAIN.samples) => [chain.ab, chain.pts.slice(0, n)];

  const cases = [
    {
      base: "kernel",
      label: "kernel form",
      size: `${KERNEL.n} points, ${KERNEL.n * KERNEL.n} pairs`,
      flat: {
        key: "kernel_flat",
        fn: "kernelFlat",
        label: "flat loops",
        args: kernelArgs,
      },
      structured: {
        key: "kernel_matrix",
        fn: "kernelMatrix",
        label: "local number[][]",
        args: kernelArgs,
      },
      hand: "kernelHand",
      unit: "point",
      trips: KERNEL.n,
      handArgs: kernelArgs,
      asNumbers: flat,
    },
    {
      base: "arm",
      label: "two-joint arm",
      size: `${ARM.targets} targets`,
      flat: {
        key: "arm_flat",
        fn: "armFlat",
        label: "packed Float64Array",
        args: (n) => armArgs(arm.packed, n),
      },
      structured: {
        key: "arm_records",
        fn: "armReach",
        label: "nested records",
        args: (n) => armArgs(arm.records, n),
      },
      hand: "armHand",
      unit: "target",
      trips: ARM.targets,
      handArgs: (n) => armArgs(arm.records, n),
      asNumbers: armFlatOf,
    },
    {
      base: "knots",
      label: "knot interpolation",
      size: `${KNOTS.knots} knots, ${KNOTS.queries} queries`,
      flat: {
        key: "knots_flat",
        fn: "knotsFlat",
        label: "while loop",
        args: knotsArgs,
      },
      structured: {
        key: "knots_findindex",
        fn: "knotsFind",
        label: "findIndex",
        args: knotsArgs,
      },
      hand: "knotsHand",
      unit: "lookup",
      trips: KNOTS.queries,
      handArgs: knotsArgs,
      asNumbers: flat,
    },
    {
      base: "chain",
      label: "line fit",
      size: `${CHAIN.samples} records, ~half kept`,
      flat: {
        key: "chain_flat",
        fn: "chainFlat",
        label: "if in an index loop",
        args: chainArgs,
      },
      structured: {
        key: "chain_forof",
        fn: "chainFit",
        label: "for...of filter/map",
        args: chainArgs,
      },
      hand: "chainHand",
      unit: "record",
      trips: CHAIN.samples,
      handArgs: chainArgs,
      asNumbers: flat,
    },
  ];

  return cases.flatMap((c) => {
    // Built once: the timed calls allocate nothing of their own.
    const handArgs = c.handArgs();
    const twinArgs = c.flat.args();
    return [c.flat, c.structured].map((v) => {
      const args = v.args();
      return {
        key: v.key,
        file: "structured",
        label: `${c.label}, ${v.label}`,
        size: c.size,
        primal: (m) => () => m[v.fn](...args),
        grad: (m) => () => m[`${v.fn}Grad`](...args),
        hand: () => loaded().module[c.hand](...handArgs),
        tf: undefined,
        // The structured row's flat twin, timed alongside it.
        twin:
          v === c.structured
            ? {
                key: c.flat.key,
                grad: (m) => () => m[`${c.flat.fn}Grad`](...twinArgs),
              }
            : undefined,
        // Targets of their own (run.mjs): the structured row within 1.1× its twin and 1.3× hand-written.
        noTarget: true,
        check(m) {
          const ts = c.asNumbers(m[`${v.fn}Grad`](...args));
          const ref = c.asNumbers(m[c.hand](...handArgs));
          return {
            reference: "hand",
            diff: maxAbsDiff(ts, ref),
            scale: maxAbs(ref),
          };
        },
        alloc: (m) => ({
          unit: c.unit,
          trips: [c.trips, c.trips / 2],
          at: (n) => {
            const a = v.args(n);
            return {
              grad: () => m[`${v.fn}Grad`](...a),
              primal: () => m[v.fn](...a),
            };
          },
        }),
      };
    });
  });
}

/**
 * Rows of bench/rows.ts, the same way: three constructs added for the corpus
 * (pushed rows, ragged rows, instances holding a record), each written flat
 * and structured. They have no hand-written gradient: the structured
 * gradient is checked against its flat twin's at every component, and the
 * flat one against central differences (`centralDifference`) at a few.
 */
export function constructRows({ generator, flat, maxAbsDiff, maxAbs, loaded, centralDifference }) {
  // (a) oscillator: 20,000 steps of dt = 1e-3 from x0 = 1, v0 = 0, k = 4, c = 0.3; targets cos(2t)
  const PUSHED = { steps: 20_000, dt: 1e-3 };
  const pushedTarget = Float64Array.from({ length: PUSHED.steps }, (_, t) => Math.cos(2 * t * PUSHED.dt));
  const pushedArgs = (n = PUSHED.steps) => [Float64Array.of(1, 0, 4, 0.3), pushedTarget.subarray(0, n), PUSHED.dt];

  // (b) sections: 400 sections of 20–80 scores ~ U(40, 100), targets ~ U(50, 90), h = (0.9, 0.001)
  const RAGGED = { sections: 400 };
  const ragged = (() => {
    const g = generator(20261201);
    const sections = Array.from({ length: RAGGED.sections }, () => Array.from({ length: 20 + Math.floor(60 * g.uniform(0, 1)) }, () => g.uniform(40, 100)));
    const targets = g.fill(RAGGED.sections, () => g.uniform(50, 90));
    return { sections, targets };
  })();
  const raggedArgs = (n = RAGGED.sections) => [Float64Array.of(0.9, 0.001), ragged.sections.slice(0, n), ragged.targets.subarray(0, n)];
  const raggedScores = ragged.sections.reduce((s, r) => s + r.length, 0);

  // (c) ducts: 20,000 branches, airflow ~ U(0.05, 0.5) m³/s, length ~ U(3, 30) m, diameters ~ U(0.15, 0.4) m
  const DUCTS = { branches: 20_000 };
  const ducts = (() => {
    const g = generator(20261202);
    const branches = Array.from({ length: DUCTS.branches }, (_, i) => ({ name: `branch ${i}`, airflow: g.uniform(0.05, 0.5), length: g.uniform(3, 30) }));
    const diameters = g.fill(DUCTS.branches, () => g.uniform(0.15, 0.4));
    return { branches, diameters };
  })();
  const ductsArgs = (n = DUCTS.branches) => [ducts.diameters.subarray(0, n), ducts.branches.slice(0, n)];

  const cases = [
    {
      label: "oscillator trajectory",
      size: `${PUSHED.steps} steps`,
      flat: { key: "pushed_flat", fn: "trajectoryFlat", label: "states in a Float64Array", args: pushedArgs },
      structured: { key: "pushed_rows", fn: "trajectoryRows", label: "states.push([x, v]) onto a number[][]", args: pushedArgs },
      unit: "step",
      trips: PUSHED.steps,
      picks: [0, 1, 2, 3],
    },
    {
      label: "curved sections",
      size: `${RAGGED.sections} sections, ${raggedScores} scores`,
      flat: { key: "ragged_flat", fn: "sectionsFlat", label: "index loops over the rows", args: raggedArgs },
      structured: { key: "ragged_rows", fn: "sectionsRagged", label: "ragged rows by map of map", args: raggedArgs },
      unit: "section",
      trips: RAGGED.sections,
      picks: [0, 1],
    },
    {
      label: "duct sizing",
      size: `${DUCTS.branches} ducts`,
      flat: { key: "ducts_flat", fn: "ductsFlat", label: "index loop over the records", args: ductsArgs },
      structured: { key: "ducts_instances", fn: "ductsInstances", label: "Duct instances holding their branch", args: ductsArgs },
      unit: "duct",
      trips: DUCTS.branches,
      picks: [0, 7, 19_999],
    },
  ];

  return cases.flatMap((c) => {
    const twinArgs = c.flat.args();
    return [c.flat, c.structured].map((v) => {
      const args = v.args();
      return {
        key: v.key,
        file: "rows",
        label: `${c.label}, ${v.label}`,
        size: c.size,
        primal: (m) => () => m[v.fn](...args),
        grad: (m) => () => m[`${v.fn}Grad`](...args),
        hand: undefined,
        tf: undefined,
        twin: v === c.structured ? { key: c.flat.key, grad: (m) => () => m[`${c.flat.fn}Grad`](...twinArgs) } : undefined,
        noTarget: true,
        check(m) {
          const ts = flat(m[`${v.fn}Grad`](...args));
          if (v === c.structured) {
            const ref = flat(m[`${c.flat.fn}Grad`](...twinArgs));
            return { reference: "flat twin, all components", diff: maxAbsDiff(ts, ref), scale: maxAbs(ref) };
          }
          const h = 1e-6;
          const fd = c.picks.map((i) => centralDifference(m[v.fn], args, 0, i, h));
          const value = Math.abs(m[v.fn](...args));
          return { reference: `FD at ${c.picks.length}`, diff: maxAbsDiff(c.picks.map((i) => ts[i]), fd), scale: maxAbs(fd), fdNoise: (1e-15 * Math.max(1, value)) / h };
        },
        alloc: (m) => ({
          unit: c.unit,
          trips: [c.trips, c.trips / 2],
          at: (n) => {
            const a = v.args(n);
            return { grad: () => m[`${v.fn}Grad`](...a), primal: () => m[v.fn](...a) };
          },
        }),
      };
    });
  });
}
