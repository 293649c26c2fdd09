import { acquireGpu } from '../engine/device';
import { nodeGpuApi } from '../engine/node/dawn';
import { parseArgs, type Command } from './command';

export const infoCommand: Command = {
  name: 'info',
  summary: 'show the WebGPU adapter the engine runs on and its kernel profile',
  usage: 'semilab info',
  async run(args) {
    if (parseArgs(args, []).positional.length > 0) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    const result = await acquireGpu(await nodeGpuApi());
    if (!result.ok) {
      console.error(`semilab info: ${result.error.message}`);
      return 1;
    }
    const gpu = result.value;
    console.log(JSON.stringify({ adapter: gpu.facts, profile: gpu.profile }, null, 2));
    return 0;
  },
};
