// Node only: WebGPU through Dawn (the `webgpu` npm package). Never imported by the page.
import { existsSync } from 'node:fs';

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
  const dawn = await import('webgpu');
  Object.assign(globalThis, dawn.globals);
  cached = dawn.create([]) as GPU;
  return cached;
}
