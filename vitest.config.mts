import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One worker per core (vitest's default leaves one of the 2 cores to its
    // main process, which mostly waits), and the test files of a worker share
    // one module graph: each file otherwise loads TypeScript's compiler and the
    // transformer anew (2–3 s of CPU per file). No test patches a module or
    // leaves a global changed (console spies are restored after each test).
    maxWorkers: 2,
    isolate: false,
    // Two files compiling at once on 2 cores take up to twice as long as one
    // alone: the limit is there to catch a hang, not to time the compiler.
    testTimeout: 120_000,
    // Hooks compile programs (the runtime's declarations, a dev server's
    // first build); on 2 busy cores that can pass vitest's 10 s default.
    hookTimeout: 240_000,
  },
});
