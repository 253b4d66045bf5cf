// The AWS SDK for JavaScript v3's reading of shared files, for mfa-profile's tests.
// stdin: a JSON array of {"credentials": PATH, "config": PATH}; stdout: a JSON array of
// {"credentials": {PROFILE: {KEY: VALUE}}, "config": {...}}, exactly as
// @smithy/shared-ini-file-loader's loadSharedConfigFiles returns them (a file it cannot
// parse reads as {}, as in the SDK).
"use strict";
const { loadSharedConfigFiles } = require("@smithy/shared-ini-file-loader");

async function main() {
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  const out = [];
  for (const job of JSON.parse(input)) {
    const files = await loadSharedConfigFiles({
      filepath: job.credentials,
      configFilepath: job.config,
      ignoreCache: true,
    });
    out.push({ credentials: files.credentialsFile, config: files.configFile });
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error));
  process.exit(1);
});
