import type { GradBenchModule } from "../protocol.mjs";
import { ba } from "./ba.mjs";
import { gmm } from "./gmm.mjs";
import { hello } from "./hello.mjs";
import { llsq } from "./llsq.mjs";
import { lse } from "./lse.mjs";
import { lstm } from "./lstm.mjs";

/** Every GradBench module this tool implements, by the name the evals define. */
export const modules: Record<string, GradBenchModule> = { hello, lse, llsq, gmm, lstm, ba };
