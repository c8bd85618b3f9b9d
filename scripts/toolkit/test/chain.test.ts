import assert from "node:assert/strict";
import { test } from "node:test";

import { isoToNanos } from "../src/chain";

test("block times keep their nanoseconds", () => {
  assert.equal(isoToNanos("2025-06-15T00:00:12.123456789Z"), 1_749_945_612_123_456_789n);
  assert.equal(isoToNanos("2025-06-15T00:00:12Z"), 1_749_945_612_000_000_000n);
  assert.equal(isoToNanos("2025-06-15T02:00:12.5+02:00"), 1_749_945_612_500_000_000n);
  assert.throws(() => isoToNanos("yesterday"), /RFC 3339/);
});
