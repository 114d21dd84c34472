import type { Message } from "discord.js";
import type { StreamRenderer } from "../../gateway/paced-stream.js";
import type { Reply } from "../../gateway/types.js";
import { splitText } from "./messages.js";

const NO_PINGS = { parse: [] as const, repliedUser: false };

/**
 * Shows a growing answer to a Discord message: the first part replies to it, later changes edit
 * that message, and past 2000 characters the answer continues in new messages (split as
 * `splitText` splits, code fences closed and reopened). Mentions in the answer never ping.
 */
export class DiscordStreamRenderer implements StreamRenderer {
  private readonly pages: Array<{ message: Message; text: string }> = [];

  constructor(
    private readonly asked: Message,
    private readonly sendWhole: (reply: Reply) => Promise<void>,
  ) {}

  send(reply: Reply): Promise<void> {
    return this.sendWhole(reply);
  }

  async show(text: string): Promise<void> {
    const channel = this.asked.channel;
    if (!channel.isSendable()) return;
    for (const [i, page] of splitText(text).entries()) {
      const shown = this.pages[i];
      if (shown) {
        if (shown.text === page) continue;
        await shown.message.edit({ content: page, allowedMentions: NO_PINGS });
        shown.text = page;
        continue;
      }
      const message =
        i === 0
          ? await this.asked.reply({ content: page, allowedMentions: NO_PINGS })
          : await channel.send({ content: page, allowedMentions: NO_PINGS });
      this.pages.push({ message, text: page });
    }
  }
}
