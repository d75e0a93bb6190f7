// `npm run docs:config`: writes docs/configuration.md from the setting definitions.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConfigReference } from '../config/config-docs.ts';

const target = process.argv[2] ?? fileURLToPath(new URL('../../docs/configuration.md', import.meta.url));
writeFileSync(target, renderConfigReference());
console.log(`wrote ${target}`);
