/** Before the browser tests: a console bundle of this checkout, and a browser that exists. */
import { existsSync } from 'node:fs';
import { ensureConsoleBuilt } from '../../../console/scripts/ensure-built';
import { CHROMIUM_PATH } from './browser';

export default function setup(): void {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`No Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  ensureConsoleBuilt({ quiet: true });
}
