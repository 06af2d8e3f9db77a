// Validates an NDJSON file of Mixpanel events with Ajv (compiled
// validators, allErrors) against the schemas `trackplan export jsonschema`
// writes, and prints throughput as JSON (wall and CPU seconds of the
// validating loop: reading, parsing, validating; not Node's start or the
// schemas' compilation). Used by benches/check.rs.
//
//   node benches/ajv/validate.mjs SCHEMA_BUNDLE.json EVENTS.ndjson
import { openSync, readSync, readFileSync, closeSync, statSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const [bundlePath, eventsPath] = process.argv.slice(2);
const bundle = JSON.parse(readFileSync(bundlePath, "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validators = new Map();
for (const [name, schema] of Object.entries(bundle.events)) {
  validators.set(name, ajv.compile(schema));
}

const started = process.hrtime.bigint();
const cpuStarted = process.cpuUsage();
const fd = openSync(eventsPath, "r");
const chunk = Buffer.allocUnsafe(8 << 20);
let carry = Buffer.alloc(0);
let events = 0, invalid = 0, unplanned = 0, errors = 0;
const perEvent = {};
function line(buf, start, end) {
  if (end <= start) return;
  const record = JSON.parse(buf.toString("utf8", start, end));
  events++;
  const validate = validators.get(record.event);
  if (!validate) { unplanned++; return; }
  if (!validate(record)) {
    invalid++;
    errors += validate.errors.length;
    perEvent[record.event] = (perEvent[record.event] || 0) + 1;
  }
}
for (;;) {
  const n = readSync(fd, chunk, 0, chunk.length, null);
  if (n === 0) break;
  const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
  let start = 0;
  for (let i = buf.indexOf(10, start); i !== -1; i = buf.indexOf(10, start)) {
    line(buf, start, i);
    start = i + 1;
  }
  carry = Buffer.from(buf.subarray(start));
}
line(carry, 0, carry.length);
closeSync(fd);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const bytes = statSync(eventsPath).size;
console.log(JSON.stringify({
  peer: `ajv ${ajv.constructor.name} (allErrors, ajv-formats)`,
  events, invalid, unplanned, errors, per_event: perEvent, seconds, cpu_seconds: cpuSeconds,
  events_per_s: events / seconds, mb_per_s: bytes / 1e6 / seconds,
  peak_rss_mb: process.resourceUsage().maxRSS / 1024,
}));
