// Splits a marketing budget across channels with diminishing returns. Channel
// settings come from a config keyed by channel name, as they would from a
// JSON file; the allocation is a softmax over free logits.
import { grad } from "tsgrad";

type Channel = "search" | "social" | "video" | "email";

const CHANNELS: readonly Channel[] = ["search", "social", "video", "email"];

const RESPONSE: Record<Channel, { reach: number; saturation: number }> = {
  search: { reach: 1.2, saturation: 30 },
  social: { reach: 0.9, saturation: 50 },
  video: { reach: 1.5, saturation: 80 },
  email: { reach: 0.4, saturation: 10 },
};

export function negativeReturn(logits: number[], budget = 100): number {
  const top = Math.max(...logits);
  const weights = logits.map((l) => Math.exp(l - top));
  const total = weights.reduce((a, b) => a + b, 0);
  let value = 0;
  CHANNELS.forEach((name, i) => {
    const { reach, saturation } = RESPONSE[name];
    const spend = (budget * weights[i]) / total;
    value += reach * saturation * (1 - Math.exp(-spend / saturation));
  });
  return -value;
}

export const dNegativeReturn = grad(negativeReturn);

export const cases = [{ f: negativeReturn, df: dNegativeReturn, args: [[0.2, -0.1, 0.5, -0.8], 120] }];
