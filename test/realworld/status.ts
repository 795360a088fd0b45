// What tsgrad does today with each program of the corpus, checked exactly by
// test/realworld.test.ts. "passes": every case's gradient matches finite
// differences. "refused: TS900xx <construct>": the first tsgrad diagnostic in
// the file (in source order) has that code; <construct> names what it refused
// and groups the summary line. When tsgrad learns a construct, the test fails
// with "now passes: update status.ts" (or names the new first refusal).

export type Status = "passes" | `refused: TS${number} ${string}`;

export const status: Record<string, Status> = {
};
