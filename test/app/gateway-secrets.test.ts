import crypto from "node:crypto";
import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { gatewaySecrets } from "../../src/app/gateway-secrets.js";
import { maskSecret } from "../../src/util/mask.js";
import { redactText, secretPieces, secretRedactor } from "../../src/auth/redact.js";
import { runInProcess } from "../support/in-process-cli.js";
import { writeStateDir } from "../support/state.js";
import { startInProcessGateway } from "../support/in-process-gateway.js";

const random = (n: number) => crypto.randomBytes(n).toString("hex").slice(0, n);

const dirs: string[] = [];
function stateDir(config: object): string {
  const dir = writeStateDir({ prefix: "openclaw-gwsecrets-", config });
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  // Each test stands in for a fresh process.
  secretRedactor.clear();
});

/** `openclaw gateway` in-process over a state dir holding `config`. */
function gateway(config: object) {
  const dir = stateDir(config);
  return runInProcess(["gateway"], { env: { OPENCLAW_STATE_DIR: dir, HOME: dir }, cwd: dir });
}

describe("gateway start: the secrets that guard its endpoints", () => {
  it("refuses a webhook secret under 16 characters before anything starts, naming the key", async () => {
    const secret = `hook_${random(8)}`;
    const r = await gateway({
      channels: {
        telegram: { botToken: `123456:AA${random(33)}`, webhookUrl: "https://bot.example/hook", webhookSecret: secret },
      },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "channels.telegram.webhookSecret has 13 characters; it needs at least 16, or anyone who finds the webhook URL may guess it.",
    );
    expect(r.stderr).toContain("openssl rand -hex 32");
    expect(r.stderr).not.toContain("openclaw gateway 0.");
    expect(r.stderr + r.stdout).not.toContain(secret);
  });

  it("refuses a metrics token under 16 characters before anything starts, naming the key", async () => {
    const token = `m_${random(10)}`;
    const r = await gateway({ gateway: { port: 0, metrics: { token } } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("gateway.metrics.token has 12 characters; it needs at least 16");
    expect(r.stderr).not.toContain("openclaw gateway 0.");
    expect(r.stderr + r.stdout).not.toContain(token);
  });
});

describe("gateway start: every secret it holds is registered with the redactor", () => {
  it("the metrics token, the webhook secret, exec ref env values and credential variables", async () => {
    const secrets = {
      metrics: `metrics_${random(24)}`,
      webhook: `whsec_${random(30)}`,
      vault: `hvs.${random(40)}`,
      passed: `team_${random(30)}`,
    };
    const dir = stateDir({
      gateway: { port: 0, metrics: { token: secrets.metrics } },
      channels: { telegram: { webhookSecret: secrets.webhook } },
      secrets: {
        providers: {
          vault: {
            source: "exec",
            command: "/usr/bin/vault-resolver",
            env: { VAULT_TOKEN: secrets.vault },
            passEnv: ["TEAM_SECRET", "HOME"],
          },
        },
      },
    });
    expect(redactText(secrets.metrics)).toBe(secrets.metrics);
    const gateway = await startInProcessGateway(dir, { TEAM_SECRET: secrets.passed });
    try {
      for (const secret of Object.values(secrets)) {
        const out = redactText(`crash: ${secret} (${secret.slice(3, 20)})`);
        expect(out).toContain(maskSecret(secret));
        for (const piece of secretPieces(secret)) expect(out).not.toContain(piece);
      }
      // The state dir (HOME, also passed to the exec ref) is no secret: it is still printed as it is.
      expect(gateway.logs.join("\n")).toContain(`state ${dir}`);
    } finally {
      await gateway.stop();
    }
  });

  it("the Redis credentials, in the URL's user info (as written and decoded) and as ?password=", () => {
    const config = {
      session: {
        store: { kind: "redis" as const, url: "redis://gw:p%40ss-word-123@127.0.0.1:6379/0?password=other-pass-456" },
      },
    };
    expect(gatewaySecrets(config, {})).toEqual(
      expect.arrayContaining(["other-pass-456", "p@ss-word-123", "p%40ss-word-123"]),
    );
  });
});
