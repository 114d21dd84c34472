import { MAX_ROUTED_PAYLOAD_BYTES } from "../../src/gateway/choice-route.js";

/**
 * What a picker button does. Indexes point into the allowed providers/models of the list whose
 * hash is `version`; pages are 0-based. Channels bind payloads to the chat and opener and verify
 * that binding; this module only parses what it finds, as untrusted input.
 */
export type PickerAction =
  | { readonly kind: "home"; readonly version: string; readonly page: number }
  | { readonly kind: "provider"; readonly version: string; readonly provider: number; readonly page: number }
  | { readonly kind: "select"; readonly version: string; readonly provider: number; readonly model: number }
  /** The page indicator: shows the same page again. `provider` is absent on the provider list. */
  | { readonly kind: "noop"; readonly version: string; readonly provider?: number; readonly page: number }
  | { readonly kind: "reset" }
  | { readonly kind: "cancel" };

/** The plugin's name: the host leads each of its payloads with it (`model:m:r`) and routes presses by it. */
export const PLUGIN_NAME = "model";

/** Longest payload we emit: with the host's `model:` in front, the contract allows 40 bytes of ASCII. */
export const MAX_PAYLOAD = MAX_ROUTED_PAYLOAD_BYTES - PLUGIN_NAME.length - 1;

/** The payload for an action: `m:p:<version>:<provider>:<page>`, `m:s:…`, `m:r`, `m:x`. */
export function encodePayload(a: PickerAction): string {
  switch (a.kind) {
    case "home":
      return `m:h:${a.version}:${a.page}`;
    case "provider":
      return `m:p:${a.version}:${a.provider}:${a.page}`;
    case "select":
      return `m:s:${a.version}:${a.provider}:${a.model}`;
    case "noop":
      return a.provider === undefined ? `m:n:${a.version}:${a.page}` : `m:n:${a.version}:${a.provider}:${a.page}`;
    case "reset":
      return "m:r";
    case "cancel":
      return "m:x";
  }
}

const SHAPE = /^m:([hpsn]):([0-9a-z]{1,8}):(\d{1,6})(?::(\d{1,6}))?$/;

/** Parses a payload; undefined for anything we did not make (forged, truncated, another plugin's). */
export function decodePayload(payload: string): PickerAction | undefined {
  if (payload.length > MAX_PAYLOAD) return undefined;
  if (payload === "m:r") return { kind: "reset" };
  if (payload === "m:x") return { kind: "cancel" };
  const m = SHAPE.exec(payload);
  if (!m || m[1] === undefined || m[2] === undefined || m[3] === undefined) return undefined;
  const version = m[2];
  const a = Number(m[3]);
  const b = m[4] === undefined ? undefined : Number(m[4]);
  switch (m[1]) {
    case "h":
      return b === undefined ? { kind: "home", version, page: a } : undefined;
    case "p":
      return b === undefined ? undefined : { kind: "provider", version, provider: a, page: b };
    case "s":
      return b === undefined ? undefined : { kind: "select", version, provider: a, model: b };
    default:
      return b === undefined ? { kind: "noop", version, page: a } : { kind: "noop", version, provider: a, page: b };
  }
}
