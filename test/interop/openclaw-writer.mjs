// Runs under OpenClaw's Node 24 runtime: writes API-key profiles through OpenClaw's own
// credential-store writer, so the interop test races the real code path against ours.
// argv: <install dir> <profile id prefix> <count> <pause ms>
const [dir, prefix, count, pauseMs] = process.argv.slice(2);
const { upsertAuthProfileWithLock } = await import(`${dir}/node_modules/openclaw/dist/plugin-sdk/provider-auth.js`);
for (let i = 0; i < Number(count); i++) {
  const key = `sk-ant-api03-${prefix.replace(/\W/g, "")}${String(i).padStart(4, "0")}${"w".repeat(60)}`;
  const stored = await upsertAuthProfileWithLock({
    profileId: `anthropic:${prefix}${i}`,
    credential: { type: "api_key", provider: "anthropic", key },
  });
  if (!stored) throw new Error(`OpenClaw did not store anthropic:${prefix}${i}`);
  await new Promise((r) => setTimeout(r, Number(pauseMs)));
}
console.log(`wrote ${count}`);
