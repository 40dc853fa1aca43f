/**
 * The `yaml` package, loaded on first use. Its document API (line positions, comment-preserving edits) is
 * needed only to point at a problem in a config file or to rewrite one; a valid config is read with js-yaml.
 * Imported up front it was 73 modules and 0.1 s of CPU in every command. require() keeps the callers
 * synchronous; under Node the package's ESM entry is this same CommonJS module.
 */
import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');
let loaded: Yaml | undefined;

export function yamlPackage(): Yaml {
  loaded ??= createRequire(import.meta.url)('yaml') as Yaml;
  return loaded;
}
