// Runs each gradient of data.ts and compares it with central differences of
// the function itself; prints one JSON line per case for the e2e test.
import * as d from "./data.js";
import { check } from "./finite.js";

const g = d.gradients;
const bodies = [
  { x: 0, y: 0, mass: 1 },
  { x: 1, y: 0.5, mass: 2 },
  { x: -0.5, y: 1.5, mass: 0.5 },
];
check("nested", d.nested, g.nested, [[[1, 2, 3], [0.5], [-1, 0.25]], [new Float64Array([1, 2]), new Float64Array([0.5, -0.5, 3])], [0.3, -0.7]], [0, 1]);
check("potential", d.potential, g.potential, [bodies, [[0.5, 0.1], [1, -0.2]]], [0]);
check("heat", d.heat, g.heat, [[0, 1, 0.5, 0.25, 2], 0.2, 3], [0, 1]);
check("methods", d.methods, g.methods, [[0.5, 2, -1, 3], 1.5], [0, 1]);
check("helpers", d.helpers, g.helpers, [2, 0.7, [{ x: 0.5, y: -1 }, { x: 1.5, y: 0.25 }]], [0, 1, 2]);
check("vectors", d.vectors, g.vectors, [new d.Vec3(1, 2, 3), new d.Vec3(-0.5, 0.25, 2), 1.5], [0, 1, 2]);
check("modelLoss", d.modelLoss, g.modelLoss, [{ w: [0.3, -0.2], b: 0.1 }], [0], true);
check("chosen", d.chosen, g.chosen, [0.8, 0.3], [0, 1]);
