import type { CatalogProvider } from "../models/catalog.js";
import { ProviderRequestError } from "./classify.js";
import type { CallCredential, CompletionRequest, CompletionResult } from "./types.js";

/** The wire protocols (`models.providers.<p>.api`) this gateway has a client for. */
export const SPOKEN_APIS: readonly string[] = ["anthropic-messages", "openai-completions"];

/** Why a provider cannot be called because of its `api`, or undefined when we speak it. */
export function unspokenApiText(provider: Pick<CatalogProvider, "id" | "api">): string | undefined {
  if (SPOKEN_APIS.includes(provider.api)) return undefined;
  return `${provider.id} uses the API "${provider.api}", which this gateway does not speak (${SPOKEN_APIS.join(", ")})`;
}

/** A request before the provider's endpoint is filled in. */
export type ModelRequest = Omit<CompletionRequest, "baseUrl">;

/**
 * Calls a provider with one credential, through the client for its wire protocol (`api`). The SDK
 * modules are imported on first use only, so loading this file (the CLI does, for `--probe`) costs
 * nothing. Throws the SDK's error, or a {@link ProviderRequestError} for a provider we cannot reach.
 */
export async function callProvider(
  provider: CatalogProvider,
  credential: CallCredential,
  req: ModelRequest,
): Promise<CompletionResult> {
  if (provider.baseUrl === "") {
    throw new ProviderRequestError(
      "format",
      "no_base_url",
      `No endpoint is configured for ${provider.id}; set models.providers.${provider.id}.baseUrl.`,
    );
  }
  const request: CompletionRequest = { ...req, baseUrl: provider.baseUrl };
  switch (provider.api) {
    case "anthropic-messages": {
      const { completeAnthropic } = await import("./anthropic.js");
      return completeAnthropic(credential, request);
    }
    case "openai-completions": {
      const { completeOpenAiCompatible } = await import("./openai-compatible.js");
      return completeOpenAiCompatible(credential, request, { provider: provider.id });
    }
    default:
      throw new ProviderRequestError("format", "unsupported_api", `${unspokenApiText(provider)}.`);
  }
}

/**
 * The model id a provider expects: `anthropic/claude-x` → `claude-x`, `openrouter/a/b` → `a/b`.
 * OpenRouter's own routers carry its name on its API (`openrouter/auto`), as OpenClaw sends them.
 */
export function providerModelId(ref: string): string {
  const slash = ref.indexOf("/");
  if (slash < 0) return ref;
  const id = ref.slice(slash + 1);
  return ref.slice(0, slash) === "openrouter" && !id.includes("/") ? ref : id;
}
