// Runs each gradient of model.ts and compares it with central differences of
// the function itself; prints one JSON line per case for the e2e test.
import { tape } from "tsgrad";
import { check } from "./finite.js";
import * as m from "./model.js";

const g = m.gradients;
check("destructured", m.destructured, g.destructured, [{ w: [0.5, 1.5, 2], b: 0.2 }, [1, 2], [[1, 2], [3, -1]]], [0, 1]);
check("huber", m.huber, g.huber, [0.5, 1, "tanh", undefined, 1, 2], [0, 1]);
check("huber, defaults omitted", m.huber, g.huberOmitted, [2], [0]);
check("activate", m.activate, g.activate, [0.3, "softplus", 1, false], [0]);
check("searchGrid", m.searchGrid, g.searchGrid, [[[1, 2], [-1, 3], [0.5, 0.5, 0.5, 0.5]], 1.5, { bias: 2 }], [1]);
check("bits", m.bits, g.bits, [new Float64Array([1, 2, 3, 4]), 0.7], [0, 1]);
check("constants", m.constants, g.constants, [0.5, [1, 2]], [0, 1]);
check("spreads", m.spreads, g.spreads, [[1, 2, 3], [0.5, -1], 0.25, [1.5, 2], { scale: 3 }], [0, 1, 2, 3]);
check("closures", m.closures, g.closures, [new Float64Array([1, 2]), 0.5], [0, 1]);
check("recursive", m.recursive, g.recursive, [[0.5, -0.25, 1.5], 0.8], [0, 1]);

// 3. throw: the gradient throws what f throws.
try {
  g.activate(0.3, "gelu" as "tanh", 0, false);
  console.log(JSON.stringify({ name: "throw", threw: false }));
} catch (e) {
  console.log(JSON.stringify({ name: "throw", threw: (e as Error).message }));
}

// 8. console.log runs once per gradient call, even when the tape is too short at first.
const log = console.log;
let lines = 0;
console.log = () => void lines++;
tape.values = new Float64Array(1);
g.logging([1, 2, 3, 4, 5, 6, 7, 8]);
g.logging([1, 2]);
console.log = log;
console.log(JSON.stringify({ name: "logging", lines }));
