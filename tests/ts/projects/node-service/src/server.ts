// The generated helpers as a Node service uses them, with the real Node SDK.
// Plan-independent, so every plan's output compiles here.
import Mixpanel from "mixpanel";
import { createServerTracker, type ServerTracker, type SuperProperties } from "./tracking/index.js";
import { validate } from "./tracking/validation.js";

export function tracker(token: string, supers: SuperProperties): ServerTracker {
  return createServerTracker(Mixpanel.init(token), supers, { validate, onError: (e) => console.error(e) });
}
