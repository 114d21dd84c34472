import { afterAll, beforeAll, beforeEach } from "vitest";
import { startFakeProvider, type FakeProvider } from "./provider-api.js";

/**
 * One fake provider for the calling test file: started before its tests, reset before each test
 * (scripts and recorded requests), closed after all. The returned object forwards to it.
 */
export function useFakeProvider(): FakeProvider {
  let current: FakeProvider | undefined;
  beforeAll(async () => {
    current = await startFakeProvider();
  });
  afterAll(async () => {
    await current?.close();
  });
  beforeEach(() => {
    current?.reset();
  });
  const get = (): FakeProvider => {
    if (!current) throw new Error("the fake provider starts in beforeAll; use it inside hooks and tests");
    return current;
  };
  return {
    get url() {
      return get().url;
    },
    get requests() {
      return get().requests;
    },
    script: (credential, ...responses) => get().script(credential, ...responses),
    quota: (credential, quota) => get().quota(credential, quota),
    useClock: (clock) => get().useClock(clock),
    defaultText: (text) => get().defaultText(text),
    requestsFor: (credential) => get().requestsFor(credential),
    reset: () => get().reset(),
    close: () => get().close(),
  };
}
