import type { ConfigSection } from "../config/plugin-section.js";
import type { PluginDefinition } from "../gateway/types.js";
import { modelPlugin } from "../../plugins/model/index.js";
import { authMonitorPlugin } from "../../plugins/auth-monitor/index.js";
import { stopPlugin } from "../chat/stop.js";
import { statusPlugin } from "../../plugins/status/index.js";
import { usagePlugin } from "../../plugins/usage/index.js";

/** The plugins the gateway loads, in the order their commands win a name clash. */
export function gatewayPlugins(): PluginDefinition[] {
  return [modelPlugin, stopPlugin, statusPlugin, usagePlugin, authMonitorPlugin()];
}

/** The plugins' own config sections, merged into what the config loader validates. */
export function configSections(plugins: readonly PluginDefinition[]): ConfigSection[] {
  return plugins.flatMap((p) => (p.config ? [p.config] : []));
}
