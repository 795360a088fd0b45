import { grad } from "tsgrad";
import defaultModel, { model, poly } from "./model.js";

export const dPoly = grad(poly);
export const dModelX = grad(model, 0);
export const dDefault = grad(defaultModel);
