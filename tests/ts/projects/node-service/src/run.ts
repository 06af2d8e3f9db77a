// Loads the generated module under Node and makes a call that any plan
// allows, through a recording client: prints what the client received.
import { createServerTracker, type ServerClient } from "./tracking/index.js";

const received: unknown[] = [];
const record = (...args: unknown[]): void => {
  received.push(args.filter((a) => typeof a !== "function"));
};
const client: ServerClient = {
  track: record,
  people: { set: record, set_once: record, increment: record, union: record, append: record, remove: record, unset: record },
  groups: { set: record, set_once: record },
};
const tracker = createServerTracker(client, {} as never);
tracker.people.set("u-1", {});
tracker.people.unset("u-1", []);
console.log(JSON.stringify(received));
