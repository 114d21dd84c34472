import { describe, expect, it } from "vitest";
import { GENERIC_FAILURE, guardStep } from "../../src/chat/guard.js";
import { UserFacingError } from "../../src/util/user-error.js";
import { useFakeProvider } from "../fakes/use-fake-provider.js";
import { apiKey, groupNonOwner, leakCheckedHarnesses, startTestTurn } from "./harness.js";

const KEY = "sk-ant-api03-GUARDGUARDGUARDGUARD0000";
const fake = useFakeProvider();
const harness = leakCheckedHarnesses(fake, [KEY], {
  authProfiles: { version: 1, profiles: { "anthropic:a": apiKey("anthropic", KEY) } },
});

describe("the guard step", () => {
  it("answers a throw with a reply and logs it with every known secret masked", async () => {
    const h = await harness();
    const log = (level: string, message: string) => void h.logs.push(`[${level}] ${message}`);
    const turn = await startTestTurn(h, "hi");
    // The resolver registers the credentials it hands out with the redactor.
    h.services.resolver().resolve({ agentId: "main", provider: "anthropic" });
    const out = await guardStep(log)(turn, async () => {
      throw new Error(`socket closed while sending ${KEY}`);
    });
    expect(out).toEqual({ kind: "reply", text: GENERIC_FAILURE });
    expect(h.logs).toEqual([
      expect.stringMatching(/^\[error\] chat session=agent:main:main failed: socket closed while sending sk-ant-a…/),
    ]);
  });

  it("shows an error written for people in a DM or to an owner, and the generic reply to a group", async () => {
    const h = await harness();
    const throwsForPeople = async (): Promise<never> => {
      throw new UserFacingError({ code: "bad_file", message: "Invalid credential file /srv/x.json." });
    };
    const dm = await startTestTurn(h, "hi");
    expect(await guardStep(() => undefined)(dm, throwsForPeople)).toEqual({
      kind: "reply",
      text: "Invalid credential file /srv/x.json.",
    });
    const group = await startTestTurn(h, "hi", { ctx: groupNonOwner("-1") });
    expect(await guardStep(() => undefined)(group, throwsForPeople)).toEqual({ kind: "reply", text: GENERIC_FAILURE });
  });
});
