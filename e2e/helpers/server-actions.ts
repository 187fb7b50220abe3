/**
 * Server actions over raw HTTP, as the browser sends them: POST to the page with the `Next-Action` id
 * from a production build's server reference manifest and React's reply encoding of
 * (previousState, formData), a multipart body. Shared by e2e specs and `npm run bench` (bench/run.ts).
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** The id of exported action `name` of `page` (e.g. "app/(auth)/login/page") in the build in `distDir`. */
export function actionId(distDir: string, name: string, page: string) {
  const manifest = JSON.parse(fs.readFileSync(path.join(distDir, "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { exportedName?: string; filename?: string; workers: Record<string, unknown> }>;
  };
  const hit = Object.entries(manifest.node).find(
    ([, v]) => v.exportedName === name && Object.keys(v.workers).some((w) => w.startsWith(page)),
  );
  if (!hit) throw new Error(`action ${name} not found in the server reference manifest`);
  return hit[0];
}

/** The field names React's encodeReply uses for [prevState, formData] in this Next version. */
export async function replyLayout() {
  const require = createRequire(import.meta.url);
  const { encodeReply } = require("next/dist/compiled/react-server-dom-webpack/client.node.js") as {
    encodeReply: (v: unknown) => Promise<FormData | string>;
  };
  const fd = new FormData();
  fd.set("__FIELD__", "x");
  const encoded = await encodeReply([undefined, fd]);
  if (!(encoded instanceof FormData)) throw new Error("unexpected reply encoding");
  const entries = [...encoded.entries()].map(([k, v]) => [k, String(v)] as const);
  const prefix = entries.find(([k]) => k.endsWith("__FIELD__"))![0].replace("__FIELD__", "");
  const root = entries.find(([k]) => !k.endsWith("__FIELD__"))!;
  return { prefix, root };
}

export type Layout = Awaited<ReturnType<typeof replyLayout>>;

const BOUNDARY = "----GuardianBenchBoundary7MA4YWxkTrZu0gW";
function multipart(fields: [string, string][]) {
  return (
    fields.map(([k, v]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join("") + `--${BOUNDARY}--\r\n`
  );
}

/** One action call: method, path, headers (same-origin `origin`, Next-Action) and body. */
export function actionRequest(
  layout: Layout,
  actionId: string,
  page: string,
  fields: Record<string, string>,
  headers: Record<string, string>,
  origin: string,
) {
  return {
    method: "POST" as const,
    path: page,
    headers: {
      "content-type": `multipart/form-data; boundary=${BOUNDARY}`,
      "next-action": actionId,
      accept: "text/x-component",
      origin,
      "user-agent": "guardian-bench",
      ...headers,
    },
    body: multipart([
      ...Object.entries(fields).map(([k, v]) => [layout.prefix + k, v] as [string, string]),
      [layout.root[0], layout.root[1]],
    ]),
  };
}
