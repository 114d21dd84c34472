import { describe, expect, it } from "vitest";
import { effectiveSession, mergeInherited } from "../../src/sessions/inherit.js";
import type { SessionRecord } from "../../src/sessions/types.js";
import { MemorySessionStore } from "./memory-store.js";

const P = "agent:main:telegram:group:-1";
const T = `${P}:topic:9`;

const parent: SessionRecord = {
  key: P,
  model: "anthropic/claude-opus-4-5",
  profileId: "anthropic:work",
  pinSource: "user",
  setBy: "telegram:1",
  updatedAt: 10,
};

describe("thread inheritance", () => {
  it("a thread without its own record uses the parent's model and pin", () => {
    expect(mergeInherited(T, undefined, parent)).toEqual({ ...parent, key: T, modelFrom: P, profileFrom: P });
  });

  it("own fields win; what the thread lacks comes from the parent", () => {
    const ownModel: SessionRecord = { key: T, model: "openai/gpt-5", setBy: "telegram:2", updatedAt: 20 };
    expect(mergeInherited(T, ownModel, parent)).toEqual({
      key: T,
      model: "openai/gpt-5",
      profileId: "anthropic:work",
      pinSource: "user",
      setBy: "telegram:2",
      updatedAt: 20,
      modelFrom: T,
      profileFrom: P,
    });
    const ownPin: SessionRecord = { key: T, profileId: "anthropic:other", pinSource: "user", updatedAt: 20 };
    expect(mergeInherited(T, ownPin, parent)).toEqual({
      key: T,
      model: "anthropic/claude-opus-4-5",
      profileId: "anthropic:other",
      pinSource: "user",
      updatedAt: 20,
      modelFrom: P,
      profileFrom: T,
    });
  });

  it("a pin source travels with its profile, never alone", () => {
    const own: SessionRecord = { key: T, model: "openai/gpt-5", updatedAt: 20 };
    const unpinnedParent: SessionRecord = { key: P, model: "a/1", updatedAt: 10 };
    expect(mergeInherited(T, own, unpinnedParent)).toEqual({
      key: T,
      model: "openai/gpt-5",
      updatedAt: 20,
      modelFrom: T,
    });
  });

  it("no records: undefined; no parent: the session's own record", () => {
    expect(mergeInherited(T, undefined, undefined)).toBeUndefined();
    const own: SessionRecord = { key: T, model: "a/1", updatedAt: 1 };
    expect(mergeInherited(T, own, undefined)).toEqual({ ...own, modelFrom: T });
  });

  it("effectiveSession reads both records from the store; /model default in the thread falls back to the parent", async () => {
    const store = new MemorySessionStore();
    await store.update(P, { model: parent.model ?? null, profileId: parent.profileId ?? null, pinSource: "user" }, 10);
    await store.update(T, { model: "openai/gpt-5" }, 20);
    expect(await effectiveSession(store, T, P, 40)).toMatchObject({
      model: "openai/gpt-5",
      profileId: "anthropic:work",
      profileFrom: P,
    });
    expect(await effectiveSession(store, T, undefined, 40)).toEqual({
      key: T,
      model: "openai/gpt-5",
      updatedAt: 20,
      modelFrom: T,
    });
    await store.update(T, { model: null, profileId: null }, 30);
    expect(await effectiveSession(store, T, P, 40)).toMatchObject({ key: T, model: parent.model, modelFrom: P });
    expect(await effectiveSession(store, P, undefined, 40)).toMatchObject({ key: P, profileId: "anthropic:work" });
  });
});

describe("a parent's user pin and a thread's auto pin", () => {
  it("the person's pin on the parent wins over the thread's own auto pin", () => {
    const parent = { key: "p", profileId: "anthropic:work", pinSource: "user" as const, updatedAt: 2 };
    const own = { key: "t", profileId: "anthropic:b", pinSource: "auto" as const, updatedAt: 1 };
    expect(mergeInherited("t", own, parent)).toMatchObject({
      profileId: "anthropic:work",
      pinSource: "user",
      profileFrom: "p",
    });
    const ownUser = { ...own, pinSource: "user" as const };
    expect(mergeInherited("t", ownUser, parent)).toMatchObject({ profileId: "anthropic:b", profileFrom: "t" });
  });
});
