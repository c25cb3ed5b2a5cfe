import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";

export interface TlsMaterial {
  cert: string;
  key: string;
  certPath: string;
}

/**
 * A self-signed certificate for localhost, generated once and kept in the data folder so that a
 * client told to trust it (NODE_EXTRA_CA_CERTS) keeps trusting it across restarts.
 */
export async function loadOrCreateCertificate(dir: string): Promise<TlsMaterial> {
  const certPath = resolve(dir, "emulator-cert.pem");
  const keyPath = join(dir, "emulator-key.pem");
  try {
    const [cert, key] = await Promise.all([readFile(certPath, "utf8"), readFile(keyPath, "utf8")]);
    return { cert, key, certPath };
  } catch {
    // not there yet: create below
  }
  await mkdir(dir, { recursive: true });
  // Loaded only when https is asked for: the X.509 libraries cost start-up time nobody else should pay.
  const { generate } = await import("selfsigned");
  const pems = await generate([{ name: "commonName", value: "b24-emulator localhost" }], {
    keySize: 2048,
    algorithm: "sha256",
    notAfterDate: new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000),
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  await writeFile(keyPath, pems.private, { mode: 0o600 });
  await writeFile(certPath, pems.cert);
  return { cert: pems.cert, key: pems.private, certPath };
}
