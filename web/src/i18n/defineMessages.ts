// The dApp's message files take their shape and placeholder filling from core/i18n.ts, which the
// audit's own sentences (shared with `npm run audit`) use too.
export { defineMessages, interpolate, type MessageSet, type Vars } from "@core/i18n";
