import * as z from "zod/mini";
import "../util/zod-messages.js";
import { mayCarryCredentials } from "../util/loopback.js";
import { budgetsSection } from "./budgets.js";

// Every object is loose: an existing OpenClaw config has many keys we do not use, and we must keep
// them when we write the file back.

const modelRefObject = z.looseObject({
  primary: z.optional(z.string().check(z.minLength(1))),
  fallbacks: z.optional(z.array(z.string().check(z.minLength(1)))),
});

/** `agents.defaults.model`: a `provider/model` string or OpenClaw's `{ primary, fallbacks }`. */
export const modelSetting = z.union([z.string().check(z.minLength(1)), modelRefObject], {
  message: 'expected a "provider/model" string or { primary, fallbacks }',
});

const modelPolicy = z.looseObject({ allow: z.optional(z.array(z.string().check(z.minLength(1)))) });

/** `params` passed to the provider: the ones the APIs we speak have (OpenClaw's names); others are kept and unused. */
const modelParams = z.looseObject({
  temperature: z.optional(z.number()),
  maxTokens: z.optional(z.int().check(z.positive())),
  extra_body: z.optional(z.record(z.string(), z.unknown())),
  extraBody: z.optional(z.record(z.string(), z.unknown())),
  chat_template_kwargs: z.optional(z.record(z.string(), z.unknown())),
});
const perModel = z.record(
  z.string(),
  z.looseObject({ alias: z.optional(z.string().check(z.minLength(1))), params: z.optional(modelParams) }),
);

const agentEntry = z.looseObject({
  model: z.optional(modelSetting),
  models: z.optional(perModel),
  params: z.optional(modelParams),
  modelPolicy: z.optional(modelPolicy),
  name: z.optional(z.string()),
});

const agentsSection = z.looseObject({
  defaults: z.optional(
    z.looseObject({
      model: z.optional(modelSetting),
      models: z.optional(perModel),
      params: z.optional(modelParams),
      modelPolicy: z.optional(modelPolicy),
      modelSelectionScope: z.optional(z.enum(["session", "agent", "global"])),
      systemAgent: z.optional(z.looseObject({ agentId: z.optional(z.string().check(z.minLength(1))) })),
    }),
  ),
  entries: z.optional(z.record(z.string(), agentEntry)),
  list: z.optional(
    z.array(z.extend(agentEntry, { id: z.string().check(z.minLength(1)), default: z.optional(z.boolean()) })),
  ),
});

/** OpenClaw's SecretRef: where a secret lives instead of the secret (resolved by `src/auth/secret-ref.ts`). */
const secretRef = z.looseObject({
  source: z.enum(["env", "file", "exec"]),
  provider: z.optional(z.string()),
  id: z.string().check(z.minLength(1)),
});
/** A secret as written: the value itself or a SecretRef. */
const secretInput = z.union([z.string(), secretRef]);

/** A price in USD per million tokens. */
const usdPerMillion = z.optional(z.number().check(z.nonnegative({ message: "expected a price of 0 or more" })));

const providerModel = z.looseObject({
  id: z.string().check(z.minLength(1)),
  name: z.optional(z.string()),
  alias: z.optional(z.string()),
  contextWindow: z.optional(z.int().check(z.positive())),
  maxTokens: z.optional(z.int().check(z.positive())),
  /**
   * OpenClaw's price override, USD per million tokens; omitted figures keep the built-in ones.
   * Loose: OpenClaw's `tieredPricing` may sit beside them, and we price at the flat figures.
   */
  cost: z.optional(
    z.looseObject({
      input: usdPerMillion,
      output: usdPerMillion,
      cacheRead: usdPerMillion,
      cacheWrite: usdPerMillion,
    }),
  ),
});

/** A URL a credential is sent to: https, or plain http only to this machine (a test, a local proxy). */
const credentialUrl = (what: string) =>
  z.url({ message: `expected ${what}` }).check(
    z.refine(mayCarryCredentials, {
      message: "expected an https:// URL (http:// only to 127.0.0.0/8, [::1] or localhost)",
    }),
  );

const providerSection = z.looseObject({
  baseUrl: z.optional(z.url({ message: "expected a URL such as https://api.example.com" })),
  api: z.optional(z.string()),
  /** OpenClaw's provider credential: tried after stored profiles and env keys. */
  apiKey: z.optional(secretInput),
  /** Sent with every request to this provider (after `${VAR}` substitution). */
  headers: z.optional(z.record(z.string(), secretInput)),
  models: z.optional(z.array(providerModel)),
  /** Where OAuth profiles of this provider are refreshed (built-in defaults for anthropic and openai). */
  oauth: z.optional(
    z.looseObject({
      // The refresh token goes there: https, or plain http only to this machine (a test, a local proxy).
      tokenUrl: z.optional(credentialUrl("the token endpoint's URL")),
      clientId: z.optional(z.string().check(z.minLength(1))),
      // `models auth login`: the consent page, the device-code endpoint and the loopback redirect.
      authorizeUrl: z.optional(z.url({ message: "expected the authorize endpoint's URL" })),
      deviceCodeUrl: z.optional(credentialUrl("the device-code endpoint's URL")),
      redirectUri: z.optional(
        z.url({ message: "expected the loopback redirect URL" }).check(
          z.refine((u) => u.startsWith("http://") && mayCarryCredentials(u), {
            message: "expected an http:// URL on this machine (127.0.0.0/8, [::1] or localhost)",
          }),
        ),
      ),
    }),
  ),
});

const authSection = z.looseObject({
  profiles: z.optional(
    z.record(
      z.string(),
      z.looseObject({
        // Optional: our file may hold only `disabled` for a profile whose metadata is in openclaw.json.
        provider: z.optional(z.string().check(z.minLength(1))),
        // `aws-sdk`: OpenClaw's credential-less Bedrock mode. Accepted; we cannot use it (no credential).
        mode: z.optional(z.enum(["api_key", "token", "oauth", "aws-sdk"])),
        email: z.optional(z.string()),
        disabled: z.optional(z.boolean()),
      }),
    ),
  ),
  order: z.optional(z.record(z.string(), z.array(z.string()))),
  // `monitor` is the auth monitor plugin's own section (plugins/auth-monitor): it declares its schema.
});

const sessionStore = z.union([
  // OpenClaw's meaning of a plain string: the path of ITS OWN JSON session store. We never open it.
  z.string().check(z.minLength(1)),
  z.looseObject({ kind: z.literal("sqlite"), path: z.optional(z.string().check(z.minLength(1))) }),
  z.looseObject({
    kind: z.literal("redis"),
    url: z.string().check(z.regex(/^rediss?:\/\//, "expected a redis:// or rediss:// URL")),
    keyPrefix: z.optional(z.string()),
  }),
]);

/**
 * OpenClaw's streaming modes. We draw `partial` (answers grow while the model writes them) and
 * treat `block` and `progress` as `partial`; `off` sends one reply once the answer is complete.
 */
export const STREAMING_MODES = ["off", "partial", "block", "progress"] as const;
const streamingMode = z.enum(STREAMING_MODES);
/** OpenClaw's `{ mode }` form, or the bare mode string earlier versions of ours wrote. */
const streaming = z.optional(z.union([streamingMode, z.looseObject({ mode: z.optional(streamingMode) })]));

const telegram = z.looseObject({
  enabled: z.optional(z.boolean()),
  streaming,
  botToken: z.optional(secretInput),
  apiRoot: z.optional(z.url()),
  webhookUrl: z.optional(z.url()),
  webhookSecret: z.optional(z.string()),
  webhookPath: z.optional(z.string().check(z.startsWith("/"))),
});

const discord = z.looseObject({
  enabled: z.optional(z.boolean()),
  streaming,
  token: z.optional(secretInput),
  applicationId: z.optional(z.string()),
  guildIds: z.optional(z.array(z.string())),
  apiBase: z.optional(z.url()),
  slashCommand: z.optional(z.looseObject({ ephemeral: z.optional(z.boolean()) })),
  interactions: z.optional(
    z.looseObject({
      publicKey: z.optional(
        z.string().check(z.regex(/^[0-9a-fA-F]{64}$/, "expected a 64-character hex Ed25519 public key")),
      ),
      path: z.optional(z.string().check(z.startsWith("/"))),
    }),
  ),
});

/** The schema of `openclaw.json`. One schema is the type, the validator and the error message. */
export const configSchema = z.looseObject({
  env: z.optional(z.catchall(z.looseObject({ vars: z.optional(z.record(z.string(), z.string())) }), z.unknown())),
  agents: z.optional(agentsSection),
  auth: z.optional(authSection),
  models: z.optional(z.looseObject({ providers: z.optional(z.record(z.string(), providerSection)) })),
  channels: z.optional(
    z.looseObject({
      telegram: z.optional(telegram),
      discord: z.optional(discord),
      console: z.optional(z.looseObject({ streaming })),
      /** OpenClaw's per-chat model: channel → chat, topic or DM peer id (or `*`) → `provider/model` or alias. */
      modelByChannel: z.optional(z.record(z.string(), z.record(z.string(), z.string()))),
    }),
  ),
  commands: z.optional(
    z.looseObject({
      allowFrom: z.optional(
        z.record(z.string(), z.array(z.pipe(z.union([z.string(), z.number()]), z.transform(String)))),
      ),
      // OpenClaw accepts a bare numeric id here, as in `allowFrom`.
      ownerAllowFrom: z.optional(z.array(z.pipe(z.union([z.string(), z.number()]), z.transform(String)))),
    }),
  ),
  session: z.optional(
    z.looseObject({
      store: z.optional(sessionStore),
      dmScope: z.optional(z.enum(["main", "per-peer", "per-channel-peer", "per-account-channel-peer"])),
      cacheSize: z.optional(z.int().check(z.positive())),
    }),
  ),
  gateway: z.optional(
    z.looseObject({
      // 0 (any free port) only in our own file: OpenClaw wants 1 or more.
      port: z.optional(z.int().check(z.gte(0), z.lte(65535))),
      // OpenClaw's modes (BIND_MODES); an address is what earlier versions of ours accepted.
      bind: z.optional(z.string().check(z.minLength(1))),
      customBindHost: z.optional(z.string().check(z.minLength(1))),
      /** Host names the HTTP server answers besides loopback, IP literals, the bind host and the webhook URL's host. */
      allowedHosts: z.optional(z.array(z.string().check(z.minLength(1)))),
      metrics: z.optional(z.looseObject({ token: z.optional(z.string().check(z.minLength(1))) })),
    }),
  ),
  /** Spending limits, ours (`model-gateway.json`): see `src/config/budgets.ts`. */
  budgets: z.optional(budgetsSection),
  /** The usage ledger (ours, in model-gateway.json). */
  usage: z.optional(
    z.looseObject({
      /** False: no call is recorded and no `/usage` footer is shown (default true). */
      ledger: z.optional(z.boolean()),
      /** Days of raw ledger entries kept before they are rolled up into daily sums (default 90). */
      retainDays: z.optional(z.int().check(z.positive())),
    }),
  ),
});

/** OpenClaw's `gateway.bind` modes. */
export const BIND_MODES = ["loopback", "lan", "auto", "custom", "tailnet"] as const;

/** A validated config: `openclaw.json` with our own file (`model-gateway.json`) read on top of it. */
export type OpenClawConfig = z.infer<typeof configSchema>;
/** Provider parameters as `agents.*.params` hold them. */
export type ModelParams = z.infer<typeof modelParams>;
/** A secret as a config holds it: the value, or a SecretRef. */
export type SecretInput = z.infer<typeof secretInput>;
/** `agents.defaults.model` and friends. */
export type ModelSetting = z.infer<typeof modelSetting>;
