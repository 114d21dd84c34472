/** One thing doctor checked. `ok`, `info` and `fixed` are healthy; `warn` and `error` make it exit 1. */
export interface Finding {
  readonly check:
    | "config"
    | "state-dir"
    | "config-keys"
    | "modes"
    | "credentials"
    | "secrets"
    | "credential-store"
    | "expiry"
    | "auth-order"
    | "oauth"
    | "model"
    | "missing-auth"
    | "env"
    | "channels"
    | "aliases"
    | "session-store"
    | "budgets";
  /** `info` says how something works here; like `ok` it is no problem. */
  readonly severity: "ok" | "info" | "fixed" | "warn" | "error";
  readonly message: string;
  readonly fix?: string;
}
