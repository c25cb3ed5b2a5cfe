// One REST call through the official JS SDK (@bitrix24/b24jssdk), run as its own Node process so that
// NODE_EXTRA_CA_CERTS (read only at process start) can point at the emulator's self-signed certificate.
//
//   NODE_EXTRA_CA_CERTS=<certPath> node test/support/sdk-call.mjs <webhookUrl>  < {"method": "...", "params": {...}}
//
// The call ({method, params} as JSON) comes on stdin, not argv: a 20,000-emoji message is 80 KB, close
// to Linux's 128 KB limit on a single argument or environment string.
// Prints exactly one JSON line on stdout:
//   {"ok":true,"status":200,"result":...,"time":{...}}
//   {"ok":false,"code":"...","status":400,"description":"..."}
// Anything that is not an SDK error (a bug in this script, an SDK crash) exits 1 with the stack on stderr.
import process from "node:process";
import { AjaxError, B24Hook, ParamsFactory } from "@bitrix24/b24jssdk";

const webhookUrl = process.argv[2];
if (!webhookUrl) {
  process.stderr.write("usage: node sdk-call.mjs <webhookUrl> < call.json\n");
  process.exit(2);
}

let input = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) input += chunk;
// `maxRetries` above 1 lets the SDK retry as it does in production (QUERY_LIMIT_EXCEEDED, 5xx).
const { method, params, maxRetries = 1 } = JSON.parse(input);

// restrictionParams is merged shallowly into the defaults, so nested objects must be complete.
const restrictionParams = {
  rateLimit: { burstLimit: 1e6, drainRate: 1e6, adaptiveEnabled: false },
  adaptiveConfig: { ...ParamsFactory.getDefault().adaptiveConfig, enabled: false },
  maxRetries,
};

function emit(line) {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function errorLine(error) {
  return { ok: false, code: error.code, status: error.status, description: error.message };
}

try {
  const b24 = B24Hook.fromWebhookUrl(webhookUrl, { restrictionParams });
  const response = await b24.actions.v2.call.make({ method, params });
  if (response.isSuccess) {
    const data = response.getData();
    emit({ ok: true, status: response.getStatus(), result: data.result, time: data.time });
  } else {
    // A 2xx body carrying "error" (or a soft-listed code) is returned, not thrown.
    const first = response.getErrors().next().value;
    emit(first ? errorLine(first) : { ok: false, code: "NO_ERROR_REPORTED", status: response.getStatus(), description: "" });
  }
} catch (error) {
  if (error instanceof AjaxError) {
    emit(errorLine(error));
  } else {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  }
}
