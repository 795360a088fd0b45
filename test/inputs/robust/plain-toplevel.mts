// Top-level await in an ES module without transform calls.
const values = await Promise.all([1, 2, 3].map(async (v) => v * 2));
export const total = values.reduce((a, b) => a + b, 0);
export default total;
