import { grad, valueAndGrad } from "tsgrad";
import { model, poly } from "./model.js";

export const dPoly = grad(poly);
export const dModelW = grad(model, 1);
export const vgModel = valueAndGrad(model, [1, 0]);
