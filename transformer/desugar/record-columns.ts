// The columns of an array of records that a local keeps as one array per
// number (`bodies_position_x`, `bodies_mass`), for records whose fields are
// numbers and records or tuples of numbers (`{ position: Vec2; mass: number }`,
// `{ pos: [number, number] }`), to any depth value-types.ts allows. Takes: the
// element type. Guarantees: each column is named by the path of fields that
// leads to its number, in the order the record declares them; a flat record's
// paths are its field names, so its columns are what they always were.

import { ts } from "../ts.js";
import { isDataFieldType, isNumberType, recordFields } from "./value-types.js";

/** A number of a record, by the fields that lead to it (`["position", "x"]`), and its type. */
export interface Leaf {
  readonly path: readonly string[];
  readonly type: ts.Type;
}

/** The key a column is kept under: its path joined by dots (`position.x`), a flat record's field name. */
export const leafKey = (path: readonly string[]): string => path.join(".");

/**
 * The number leaves of a record or tuple of numbers and such records, or undefined when a leaf is anything else (an array).
 * With `data`, a record's string and boolean fields are leaves too (the data columns of an array of them).
 */
export function recordLeaves(checker: ts.TypeChecker, element: ts.Type, data = false): Leaf[] | undefined {
  const fields = recordFields(checker, element, 0, data);
  if (!fields) return undefined;
  const out: Leaf[] = [];
  for (const [name, type] of fields) {
    // A quoted name with a dot (`"a.b"`) would read as a path.
    if (name.includes(".")) return undefined;
    if (isNumberType(type) || (data && isDataFieldType(type))) {
      out.push({ path: [name], type });
      continue;
    }
    const inner = recordLeaves(checker, type, data);
    if (!inner) return undefined;
    for (const leaf of inner) out.push({ path: [name, ...leaf.path], type: leaf.type });
  }
  return out;
}
