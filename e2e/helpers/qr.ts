/** Decodes the QR code in a screenshot of an element: proves what a phone's camera would read. */
import type { Locator } from "@playwright/test";
import jsQR from "jsqr";
import { PNG } from "pngjs";

export async function decodeQr(element: Locator): Promise<string | null> {
  const png = PNG.sync.read(await element.screenshot());
  const result = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  return result?.data ?? null;
}
