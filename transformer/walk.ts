// Walks over TypeScript syntax trees that do not recurse. Generated code (other
// tools' output, unrolled kernels) has expressions thousands of operators deep,
// a left-deep chain `t1 + t2 + ... + tn`, deeper than the call stack lets a
// recursive visitor go; these keep their own stack instead.

import { ts } from "./ts.js";

/**
 * Calls `visit` on `root` and every node below it, parents first and in source
 * order, as a recursive ts.forEachChild walk would; the children of a node
 * for which `visit` returns false are skipped.
 */
export function forEachNode(root: ts.Node, visit: (node: ts.Node) => boolean | void): void {
  const stack: ts.Node[] = [root];
  const children: ts.Node[] = [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visit(node) === false) continue;
    ts.forEachChild(node, (child) => void children.push(child));
    while (children.length > 0) stack.push(children.pop()!);
  }
}

/**
 * Whether `test` holds for `root` or any node below it (stopping at the first),
 * without recursing; `descend`, when given, says whether to look below a node.
 */
export function someNode(root: ts.Node, test: (node: ts.Node) => boolean, descend?: (node: ts.Node) => boolean): boolean {
  let found = false;
  forEachNode(root, (node) => {
    if (found) return false;
    if (test(node)) {
      found = true;
      return false;
    }
    return descend ? descend(node) : true;
  });
  return found;
}
