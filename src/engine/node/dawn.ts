// Node only: WebGPU through Dawn (the `webgpu` npm package). Never imported by the page.
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

let cached: GPU | null = null;

/**
 * Returns Dawn's `GPU` object. Without a Vulkan driver of its own, a machine
 * can still run WebGPU on SwiftShader, whose ICD ships with Debian's chromium.
 */
export async function nodeGpuApi(): Promise<GPU> {
  if (cached) return cached;
  if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) {
    // NOTE: the Vulkan loader reads this when Dawn creates its instance, below.
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  if (!process.env.XDG_RUNTIME_DIR) {
    // the Vulkan loader complains on stderr without one; any private folder will do.
    // One per user, reused: a folder per process piled up in /tmp (test workers are killed,
    // so an exit hook would not run).
    const runtimeDir = join(tmpdir(), `semilab-xdg-${process.getuid?.() ?? 'user'}`);
    mkdirSync(runtimeDir, { recursive: true, mode: 0o700 });
    process.env.XDG_RUNTIME_DIR = runtimeDir;
  }
  const dawn = await import('webgpu');
  Object.assign(globalThis, dawn.globals);
  cached = dawn.create([]) as GPU;
  return cached;
}
