// The AWS SDK for JavaScript v3 as a program run by `mfa-profile exec --server`: an STS
// client with the SDK's default credential chain (which reaches the container endpoint through
// AWS_CONTAINER_CREDENTIALS_FULL_URI) calls GetCallerIdentity at each of the times given.
// argv: STS_ENDPOINT SECONDS... (the waits before each call); stdout: one ARN per call.
// argv: --from-http: the container provider alone (@aws-sdk/credential-provider-http's
// fromHttp, whose error the default chain replaces with "Could not load credentials from any
// providers"); stdout: the access key id.
// On failure: the error's name, message, Code and Message on stderr, exit 1.
"use strict";
const { STSClient, GetCallerIdentityCommand } = require("@aws-sdk/client-sts");

async function main() {
  if (process.argv[2] === "--from-http") {
    const { fromHttp } = require("@aws-sdk/credential-provider-http");
    const credentials = await fromHttp({})();
    process.stdout.write(`${credentials.accessKeyId}\n`);
    return;
  }
  const [endpoint, ...waits] = process.argv.slice(2);
  const client = new STSClient({ region: "us-east-1", endpoint });
  for (const wait of waits) {
    await new Promise((resolve) => setTimeout(resolve, Number(wait) * 1000));
    const me = await client.send(new GetCallerIdentityCommand({}));
    process.stdout.write(`${me.Arn}\n`);
  }
}

main().catch((error) => {
  const extra = [error.Code, error.Message].filter(Boolean).join(": ");
  process.stderr.write(`${error.name}: ${error.message}${extra ? ` (${extra})` : ""}\n`);
  process.exit(1);
});
