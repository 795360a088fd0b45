import { grad } from "tsgrad";
import * as m from "./model.js";

export const dPoly = grad(m.poly);
export const dModel = grad(m.model, [0, 1]);
