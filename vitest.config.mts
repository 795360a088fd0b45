import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    // Hooks compile programs (the runtime's declarations, a dev server's
    // first build); on 2 busy cores that can pass vitest's 10 s default.
    hookTimeout: 120_000,
  },
});
