/**
 * The variables that set a process's clock: libfaketime's, when the suite itself runs under
 * `faketime` (CI runs it a second time two years ahead). A test that starts our CLI or gateway as a
 * process passes them on, so the process under test and the test agree on what time it is.
 */
export function clockEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name === "LD_PRELOAD" || name.startsWith("FAKETIME") || name === "DONT_FAKE_MONOTONIC") env[name] = value;
  }
  return env;
}
