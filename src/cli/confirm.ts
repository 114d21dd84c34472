import type { CliIo } from "./io.js";

/** Asks a yes/no question on the terminal (default no); a cancelled prompt is a no. */
export async function confirm(io: CliIo, message: string): Promise<boolean> {
  const { confirm: ask, isCancel } = await import("@clack/prompts");
  const answer = await ask({
    message,
    initialValue: false,
    input: io.stdin as NodeJS.ReadStream,
    output: io.promptOutput as NodeJS.WriteStream,
  });
  return !isCancel(answer) && answer;
}
