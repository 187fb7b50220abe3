import { openApiDocument } from "@/lib/api/openapi";

/** The API's OpenAPI 3.1 document, generated from the routes' zod schemas. */
export function GET() {
  return Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}
