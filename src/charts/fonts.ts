import { createRequire } from 'node:module';

/** The one family every text in a chart uses; echarts sizes label boxes with Arial's metrics, which Arimo shares. */
export const FONT_FAMILY = 'Arimo';

let resolved: string[] | undefined;

/**
 * The Arimo regular and bold TTFs shipped in node_modules. resvg draws no text at all when no font matches, and slim
 * Docker images have no system fonts, so a missing file is an error here rather than a chart without labels.
 */
export function fontFiles(): string[] {
  if (resolved) return resolved;
  const require = createRequire(import.meta.url);
  // Literal paths, so that knip sees the package in use.
  resolved = [
    fontFile(() => require.resolve('@expo-google-fonts/arimo/400Regular/Arimo_400Regular.ttf'), 'Arimo_400Regular.ttf'),
    fontFile(() => require.resolve('@expo-google-fonts/arimo/700Bold/Arimo_700Bold.ttf'), 'Arimo_700Bold.ttf'),
  ];
  return resolved;
}

function fontFile(resolve: () => string, name: string): string {
  try {
    return resolve();
  } catch {
    throw new Error(`chart font missing: cannot resolve ${name} in @expo-google-fonts/arimo (a dependency of telegrid); reinstall it`);
  }
}
