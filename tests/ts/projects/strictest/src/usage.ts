// The generated helpers under every strictness option. Plan-independent.
import { createTracker, init, people, register, type BrowserClient, type Violation } from "./tracking/index.js";
import { validate } from "./tracking/validation.js";

export function start(client: BrowserClient, seen: Violation[]): void {
  init(client, { validate, onViolation: (v) => { seen.push(v); }, strict: false });
  register({});
  people.unset([]);
  createTracker(client).people.unset([]);
}
