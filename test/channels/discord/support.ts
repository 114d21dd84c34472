import crypto, { type KeyObject } from "node:crypto";
import { ComponentType, type APIInteraction, type APIMessage } from "discord.js";
import { startDiscord, type RunningDiscord } from "../../../src/channels/discord/index.js";
import { GatewayHttpServer } from "../../../src/gateway/http-server.js";
import { startFakeDiscord, type FakeDiscord, type InteractionResponseRecord } from "../../fakes/discord-api.js";
import { createTestGateway, type TestGateway, type TestGatewayOptions } from "../../support/gateway.js";

/** Users of the Discord tests: an owner, an allowed user, and a stranger. */
export const OWNER = { id: "2200000000000000001", username: "alice" };
export const MEMBER = { id: "2200000000000000002", username: "bob" };
export const STRANGER = { id: "2200000000000000003", username: "mallory" };
export const GUILD = "3300000000000000001";
export const CHANNEL = "4400000000000000001";

/** Ten extra Anthropic models, so the provider has more than one 25-option page. */
export const EXTRA_MODELS = Array.from({ length: 10 }, (_, i) => ({
  id: `claude-test-${i + 1}`,
  name: `Claude Test ${i + 1}`,
}));

/** Secrets that must never show up in anything Discord receives or the log. */
export const SECRETS = {
  work: "sk-ant-api03-WORKWORKWORKWORKWORKWORKWORKWORK-tail1234",
  personal: "sk-ant-oat01-PERSONALPERSONALPERSONALPERSONAL-tail5678",
  openai: "sk-proj-OPENAIOPENAIOPENAIOPENAIOPENAI-tail9012",
} as const;

/** The config and credentials every Discord test starts from; `discord` merges into `channels.discord`. */
export function gatewayOptions(
  discord: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): TestGatewayOptions {
  return {
    config: {
      commands: { allowFrom: { discord: [OWNER.id, MEMBER.id] }, ownerAllowFrom: [`discord:${OWNER.id}`] },
      channels: { discord },
      models: { providers: { anthropic: { models: EXTRA_MODELS } } },
      ...extra,
    },
    authProfiles: {
      version: 1,
      profiles: {
        "anthropic:work": { type: "api_key", provider: "anthropic", key: SECRETS.work },
        "anthropic:personal": { type: "token", provider: "anthropic", token: SECRETS.personal },
        "openai:main": { type: "api_key", provider: "openai", key: SECRETS.openai },
      },
    },
  };
}

/** A gateway over a temp state dir with {@link gatewayOptions}; `over` adds options such as a clock. */
export function discordTestGateway(
  discord: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
  over: Omit<TestGatewayOptions, "config" | "authProfiles"> = {},
): Promise<TestGateway> {
  return createTestGateway({ ...gatewayOptions(discord, extra), ...over });
}

/** An Ed25519 key pair as Discord's developer portal would show the public half (64 hex chars). */
export function interactionKeys(): { publicKeyHex: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = crypto.generateKeyPairSync("ed25519");
  const der = publicKey.export({ format: "der", type: "spki" });
  return { publicKeyHex: der.subarray(-32).toString("hex"), privateKey };
}

/** Discord's request headers for `body`, signed at `timestampSec` (default now). */
export function signedHeaders(
  privateKey: KeyObject,
  body: string,
  timestampSec = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const timestamp = String(timestampSec);
  const signature = crypto.sign(null, Buffer.from(timestamp + body), privateKey).toString("hex");
  return { "content-type": "application/json", "x-signature-ed25519": signature, "x-signature-timestamp": timestamp };
}

/** Asserts no secret appears in `text`. */
export function leaksNoSecret(text: string): boolean {
  return Object.values(SECRETS).every((s) => !text.includes(s) && !text.includes(s.slice(0, 24)));
}

/** A string select as Discord receives it. */
export interface Select {
  type: 3;
  custom_id: string;
  options: Array<{ label: string; value: string }>;
}
/** A button as Discord receives it. */
export interface Button {
  type: 2;
  custom_id: string;
  label: string;
  disabled?: boolean;
}

/** The select and the buttons of a message. */
export function parts(message: APIMessage | undefined): { select?: Select; buttons: Button[] } {
  const components = (message?.components ?? []).flatMap((row) =>
    "components" in row ? (row.components as unknown as Array<Select | Button>) : [],
  );
  const select = components.find((c): c is Select => c.type === 3);
  return { ...(select ? { select } : {}), buttons: components.filter((c): c is Button => c.type === 2) };
}

/** The value of the select option whose label matches. */
export function option(message: APIMessage | undefined, label: RegExp): string {
  const found = parts(message).select?.options.find((o) => label.test(o.label));
  if (!found)
    throw new Error(`no option ${label} in ${JSON.stringify(parts(message).select?.options.map((o) => o.label))}`);
  return found.value;
}

/** The custom_id of the button whose label matches. */
export function button(message: APIMessage | undefined, label: RegExp): string {
  const found = parts(message).buttons.find((b) => label.test(b.label));
  if (!found) throw new Error(`no button ${label}`);
  return found.custom_id;
}

/** Sends a component interaction on `messageId` in the test guild's channel and returns the one answer it got. */
export async function press(
  fake: FakeDiscord,
  messageId: string,
  customId: string,
  opts: { values?: string[]; user?: { id: string; username: string } } = {},
) {
  const interaction = fake.componentInteraction({
    customId,
    componentType: opts.values ? ComponentType.StringSelect : ComponentType.Button,
    ...(opts.values ? { values: opts.values } : {}),
    user: opts.user ?? OWNER,
    guildId: GUILD,
    channelId: CHANNEL,
    messageId,
  });
  return (await answerTo(fake, interaction))?.body as { type: number; data: { content: string; flags?: number } };
}

/** Sends an interaction to the bot and returns the initial response it got. */
export async function answerTo(
  fake: FakeDiscord,
  interaction: APIInteraction,
): Promise<InteractionResponseRecord | undefined> {
  fake.sendInteraction(interaction);
  await fake.waitForRequest((r) => r.path === `/interactions/${interaction.id}/${interaction.token}/callback`);
  return fake.interactionResponses(interaction.id)[0];
}

/** A fake Discord with the test guild, a gateway over it and the real adapter connected in gateway mode. */
export interface DiscordOnFake {
  readonly fake: FakeDiscord;
  readonly gw: TestGateway;
  readonly channel: RunningDiscord;
  close(): Promise<void>;
}

/** Starts {@link DiscordOnFake}: {@link gatewayOptions} pointed at the fake, with `over` (plugins, our own file). */
export async function discordOnFake(
  over: Omit<TestGatewayOptions, "config" | "authProfiles"> = {},
): Promise<DiscordOnFake> {
  const fake = await startFakeDiscord({ guilds: [{ id: GUILD, channels: [{ id: CHANNEL }] }] });
  const gw = await discordTestGateway({ apiBase: fake.restApi, guildIds: [GUILD] }, {}, over);
  const channel = await startDiscord(
    {
      host: gw.host,
      http: new GatewayHttpServer(() => undefined),
      log: () => undefined,
      env: { DISCORD_BOT_TOKEN: fake.token },
    },
    { commandsRefreshMs: 0 },
  );
  return {
    fake,
    gw,
    channel,
    close: async () => {
      await channel.stop();
      await fake.close();
      await gw.close();
    },
  };
}
