// Entry of the library build in test/vite.test.ts: prints gradients when run.
import { grad, valueAndGrad } from "tsgrad";
import { f, h, weightedSquares } from "./model.js";

const x = new Float64Array([1, 2, 3]);
const w = new Float64Array([1, 0.5, 2]);
const results = {
  f: grad(f)(3),
  h: grad(h, [0, 1])(3, 4),
  loop: Array.from(grad(weightedSquares)(x, w)),
  valueAndGrad: valueAndGrad(f)(3),
};
console.log(JSON.stringify(results));
