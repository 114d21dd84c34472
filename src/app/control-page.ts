import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import type { GatewayHttpServer } from "../gateway/http-server.js";
import type { GatewayAssembly } from "./gateway-services.js";
import { errorMessage, type Log } from "../gateway/log.js";
import { createIo, type CliIo } from "../cli/io.js";
import { runOrderSet } from "../cli/auth-order.js";
import { runModelsSet } from "../cli/models-set.js";
import { DashboardSessions } from "../ui/sessions.js";
import { ChatIndex } from "../ui/chats.js";
import { type ControlActions, registerControlPage } from "../ui/routes.js";
import { readAssets } from "../ui/page.js";
import { removeHandoff, writeHandoff } from "../ui/handoff.js";

/** What the gateway hands the control page. */
export interface ControlPageInputs {
  readonly services: GatewayAssembly;
  /** The gateway's environment and working directory: the CLI code its actions run reads them. */
  readonly processEnv: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly log: Log;
}

/** The control page on a gateway: publish its address once listening, withdraw it at shutdown. */
export interface ControlPage {
  /** Writes `<state>/control-ui.json`, so `openclaw dashboard` finds the gateway at `url` (a failure is a warning). */
  publish(url: string): void;
  withdraw(): void;
}

/**
 * A command's output as one text, and an io that prints nothing anywhere else: the page's actions
 * run the commands' own code, and the answer shows what they printed.
 */
function capturingIo(inputs: ControlPageInputs): { io: CliIo; printed: () => string } {
  const lines: string[] = [];
  const sink = { write: (text: string) => lines.push(text.trimEnd()) };
  const io = createIo({
    env: inputs.processEnv,
    cwd: inputs.cwd,
    stdin: () => Readable.from([]),
    stdout: sink,
    stderr: sink,
    promptOutput: () => process.stderr,
    clock: inputs.services.clock,
  });
  return { io, printed: () => lines.join("\n") };
}

/** The page's writes, through `models auth order set` and `models set` themselves. */
function cliActions(inputs: ControlPageInputs): ControlActions {
  return {
    setOrder: async (provider, ids) => {
      const { io, printed } = capturingIo(inputs);
      await runOrderSet(io, { provider }, [...ids]);
      return printed();
    },
    setDefaultModel: async (model) => {
      const { io, printed } = capturingIo(inputs);
      await runModelsSet(io, {}, [model]);
      return printed().split("\n")[0] ?? "";
    },
  };
}

/**
 * Serves the control page under `/ui/` on the gateway's HTTP server (see `registerControlPage`),
 * with sessions in memory: a restart ends every one of them.
 */
export function mountControlPage(http: GatewayHttpServer, inputs: ControlPageInputs): ControlPage {
  const { services } = inputs;
  const cliKey = randomBytes(32).toString("base64url");
  registerControlPage(http, {
    services,
    chats: new ChatIndex(services.sessions),
    sessions: new DashboardSessions(services.clock),
    cliKey,
    assets: readAssets(),
    actions: cliActions(inputs),
    log: inputs.log,
  });
  return {
    publish: (url) => {
      try {
        writeHandoff(services.stateDir, url, cliKey);
      } catch (err) {
        // The gateway serves without it; only `openclaw dashboard` cannot find it.
        inputs.log("warn", `control page: openclaw dashboard will not find this gateway: ${errorMessage(err)}`);
      }
    },
    withdraw: () => removeHandoff(services.stateDir),
  };
}
