import * as z from "zod";

// Every object is loose: an existing OpenClaw config has many keys we do not use, and we must keep
// them when we write the file back.

const modelRefObject = z.looseObject({
  primary: z.string().min(1).optional(),
  fallbacks: z.array(z.string().min(1)).optional(),
});

/** `agents.defaults.model`: a `provider/model` string or OpenClaw's `{ primary, fallbacks }`. */
export const modelSetting = z.union([z.string().min(1), modelRefObject], {
  message: 'expected a "provider/model" string or { primary, fallbacks }',
});

const modelPolicy = z.looseObject({ allow: z.array(z.string().min(1)).optional() });

const agentEntry = z.looseObject({
  model: modelSetting.optional(),
  modelPolicy: modelPolicy.optional(),
  name: z.string().optional(),
});

const agentsSection = z.looseObject({
  defaults: z
    .looseObject({
      model: modelSetting.optional(),
      models: z.record(z.string(), z.looseObject({ alias: z.string().min(1).optional() })).optional(),
      modelPolicy: modelPolicy.optional(),
      modelSelectionScope: z.enum(["session", "agent", "global"]).optional(),
      systemAgent: z.looseObject({ agentId: z.string().min(1).optional() }).optional(),
    })
    .optional(),
  entries: z.record(z.string(), agentEntry).optional(),
  list: z
    .array(agentEntry.extend({ id: z.string().min(1), default: z.boolean().optional() }))
    .optional(),
});

const providerModel = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  alias: z.string().optional(),
  contextWindow: z.number().int().positive().optional(),
  maxTokens: z.number().int().positive().optional(),
});

const providerSection = z.looseObject({
  baseUrl: z.url({ message: "expected a URL such as https://api.example.com" }).optional(),
  api: z.string().optional(),
  models: z.array(providerModel).optional(),
});

const authSection = z.looseObject({
  profiles: z
    .record(
      z.string(),
      z.looseObject({
        provider: z.string().min(1),
        mode: z.enum(["api_key", "token", "oauth"]).optional(),
        email: z.string().optional(),
        disabled: z.boolean().optional(),
      }),
    )
    .optional(),
  order: z.record(z.string(), z.array(z.string())).optional(),
});

const sessionStore = z.union([
  // OpenClaw's meaning of a plain string: the path of the SQLite file.
  z.string().min(1),
  z.looseObject({ kind: z.literal("sqlite"), path: z.string().min(1).optional() }),
  z.looseObject({
    kind: z.literal("redis"),
    url: z.string().regex(/^rediss?:\/\//, "expected a redis:// or rediss:// URL"),
    keyPrefix: z.string().optional(),
  }),
]);

const telegram = z.looseObject({
  enabled: z.boolean().optional(),
  botToken: z.string().optional(),
  apiRoot: z.url().optional(),
  webhookUrl: z.url().optional(),
  webhookSecret: z.string().optional(),
  webhookPath: z.string().startsWith("/").optional(),
});

const discord = z.looseObject({
  enabled: z.boolean().optional(),
  token: z.string().optional(),
  applicationId: z.string().optional(),
  guildIds: z.array(z.string()).optional(),
  apiBase: z.url().optional(),
  slashCommand: z.looseObject({ ephemeral: z.boolean().optional() }).optional(),
  interactions: z
    .looseObject({
      publicKey: z.string().regex(/^[0-9a-fA-F]{64}$/, "expected a 64-character hex Ed25519 public key").optional(),
      path: z.string().startsWith("/").optional(),
    })
    .optional(),
});

/** The schema of `openclaw.json`. One schema is the type, the validator and the error message. */
export const configSchema = z.looseObject({
  env: z
    .looseObject({ vars: z.record(z.string(), z.string()).optional() })
    .catchall(z.unknown())
    .optional(),
  agents: agentsSection.optional(),
  auth: authSection.optional(),
  models: z.looseObject({ providers: z.record(z.string(), providerSection).optional() }).optional(),
  channels: z.looseObject({ telegram: telegram.optional(), discord: discord.optional() }).optional(),
  commands: z
    .looseObject({
      allowFrom: z.record(z.string(), z.array(z.union([z.string(), z.number()]).transform(String))).optional(),
      ownerAllowFrom: z.array(z.string()).optional(),
    })
    .optional(),
  session: z
    .looseObject({
      store: sessionStore.optional(),
      dmScope: z.enum(["main", "per-peer", "per-channel-peer"]).optional(),
      cacheSize: z.number().int().positive().optional(),
    })
    .optional(),
  gateway: z
    .looseObject({
      port: z.number().int().min(0).max(65535).optional(),
      bind: z.string().optional(),
    })
    .optional(),
});

/** A validated `openclaw.json`. */
export type OpenClawConfig = z.infer<typeof configSchema>;
/** `agents.defaults.model` and friends. */
export type ModelSetting = z.infer<typeof modelSetting>;
