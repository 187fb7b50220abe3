/**
 * A software WebAuthn authenticator for tests (no browser): a P-256 key from node:crypto, and the
 * browser's answers built by hand — clientDataJSON, authenticatorData, an attestationObject with
 * fmt "none" (CBOR, encoded by the tiny encoder below) — signed like a real key. Every field can be
 * bent (origin, rp id, challenge, counter) to test the server's refusals.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

type Cbor = number | string | Uint8Array | Cbor[] | Map<Cbor, Cbor> | { [key: string]: Cbor };

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

/** CBOR (RFC 8949) for what WebAuthn needs: small integers, byte and text strings, arrays, maps. */
export function cbor(value: Cbor): Buffer {
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cbor)]);
  const entries: [Cbor, Cbor][] = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const b64url = (b: Uint8Array | string) => Buffer.from(b).toString("base64url");
const sha256 = (b: Uint8Array | string) => createHash("sha256").update(b).digest();

export type Bend = {
  origin?: string;
  rpId?: string;
  /** Sign this challenge instead of the one in the options. */
  challenge?: string;
  /** The counter to report (default: the authenticator's own, incremented on each use). */
  counter?: number;
  type?: string;
};

export class SoftAuthenticator {
  readonly credentialId = randomBytes(16);
  readonly aaguid = Buffer.from("0102030405060708090a0b0c0d0e0f10", "hex");
  private readonly privateKey: KeyObject;
  private readonly publicJwk: { x: string; y: string };
  /** 0: a passkey that keeps no counter; otherwise incremented before each assertion. */
  counter: number;

  constructor(
    readonly origin: string,
    readonly rpId: string,
    options: { counter?: number } = {},
  ) {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: "jwk" });
    this.publicJwk = { x: jwk.x!, y: jwk.y! };
    this.counter = options.counter ?? 0;
  }

  get id() {
    return b64url(this.credentialId);
  }

  private clientData(type: string, challenge: string, bend: Bend) {
    return Buffer.from(
      JSON.stringify({
        type: bend.type ?? type,
        challenge: bend.challenge ?? challenge,
        origin: bend.origin ?? this.origin,
        crossOrigin: false,
      }),
    );
  }

  private authData(flags: number, counter: number, bend: Bend, attested?: Buffer) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    return Buffer.concat([sha256(bend.rpId ?? this.rpId), Buffer.from([flags]), c, ...(attested ? [attested] : [])]);
  }

  /** The answer to navigator.credentials.create(options), as the browser posts it (JSON text). */
  register(options: { challenge: string }, bend: Bend = {}) {
    const cose = new Map<Cbor, Cbor>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(this.publicJwk.x, "base64url")],
      [-3, Buffer.from(this.publicJwk.y, "base64url")],
    ]);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(this.credentialId.length);
    const attested = Buffer.concat([this.aaguid, len, this.credentialId, cbor(cose)]);
    const authData = this.authData(0x45, bend.counter ?? this.counter, bend, attested); // UP, UV, AT
    const attestationObject = cbor({ fmt: "none", attStmt: {}, authData });
    return JSON.stringify({
      id: this.id,
      rawId: this.id,
      type: "public-key",
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
      response: {
        clientDataJSON: b64url(this.clientData("webauthn.create", options.challenge, bend)),
        attestationObject: b64url(attestationObject),
        transports: ["internal"],
      },
    });
  }

  /** The answer to navigator.credentials.get(options), signed with the key (JSON text). */
  authenticate(options: { challenge: string }, bend: Bend = {}) {
    if (bend.counter === undefined && this.counter > 0) this.counter += 1;
    const authData = this.authData(0x05, bend.counter ?? this.counter, bend); // UP, UV
    const clientDataJSON = this.clientData("webauthn.get", options.challenge, bend);
    const signature = sign("sha256", Buffer.concat([authData, sha256(clientDataJSON)]), this.privateKey); // DER, as ES256 wants
    return JSON.stringify({
      id: this.id,
      rawId: this.id,
      type: "public-key",
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: null,
      },
    });
  }
}
