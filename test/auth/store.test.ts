import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AuthProfileStore, CachedProfileReader } from "../../src/auth/store.js";
import { listProfiles } from "../../src/auth/profiles.js";

function tempState(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-store-"));
}

const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe("AuthProfileStore", () => {
  it("reads OpenClaw's field names (mode, apiKey) and keeps unknown fields on write", async () => {
    const state = tempState();
    const store = new AuthProfileStore(state);
    const file = store.pathFor("main");
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
    fs.writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        profiles: {
          "openai:a": { mode: "api_key", provider: "openai", apiKey: `sk-proj-${"a".repeat(40)}`, label: "team" },
        },
        lastGood: { openai: "openai:a" },
      }),
      { mode: 0o644 },
    );
    const [p] = listProfiles(store.read("main"));
    expect(p).toMatchObject({ id: "openai:a", type: "api_key", secret: `sk-proj-${"a".repeat(40)}` });

    await store.update("main", (f) => {
      f.profiles["anthropic:manual"] = { type: "token", provider: "anthropic", token: "t".repeat(90) };
    });
    const written = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(written.lastGood).toEqual({ openai: "openai:a" });
    expect(written.profiles["openai:a"].label).toBe("team");
    expect(written.profiles["anthropic:manual"].token).toBe("t".repeat(90));
    expect(mode(file)).toBe(0o600);
    expect(mode(path.dirname(file))).toBe(0o700);
  });

  it("serialises concurrent writers so no update is lost", async () => {
    const store = new AuthProfileStore(tempState());
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.update("main", (f) => {
          f.profiles[`openai:p${i}`] = { type: "api_key", provider: "openai", key: `k${i}` };
        }),
      ),
    );
    expect(Object.keys(store.read("main").profiles)).toHaveLength(20);
  });

  it("names the file in a clear error for invalid content, without echoing it", () => {
    const state = tempState();
    const store = new AuthProfileStore(state);
    fs.mkdirSync(path.dirname(store.pathFor("main")), { recursive: true });
    fs.writeFileSync(store.pathFor("main"), '{"profiles": {"x": {"key": "sk-secret-value-123456789"}}}');
    expect(() => store.read("main")).toThrow(/auth-profiles\.json: profiles\.x\.provider/);
    try {
      store.read("main");
    } catch (err) {
      expect(String(err)).not.toContain("sk-secret-value");
    }
  });

  it("follows changes made by another writer, checking at most every interval", async () => {
    const state = tempState();
    const store = new AuthProfileStore(state);
    let now = 0;
    const reader = new CachedProfileReader(store, () => now, 500);
    expect(Object.keys(reader.get("main").profiles)).toEqual([]);
    await new AuthProfileStore(state).update("main", (f) => {
      f.profiles["openai:x"] = { type: "api_key", provider: "openai", key: "k" };
    });
    expect(Object.keys(reader.get("main").profiles)).toEqual([]);
    now = 501;
    expect(Object.keys(reader.get("main").profiles)).toEqual(["openai:x"]);
  });
});
