import { notFoundApi } from "@/lib/api/route";

/** Unknown paths under /api/v1 answer a problem+json 404, not the web's HTML page. */
export const GET = notFoundApi;
export const POST = notFoundApi;
export const PUT = notFoundApi;
export const PATCH = notFoundApi;
export const DELETE = notFoundApi;
