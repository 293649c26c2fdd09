import { PlannedPanel } from '../common/PlannedPanel';

export function SynthesizePanel() {
  return (
    <PlannedPanel
      testId="panel.synthesize"
      title="Synthesize"
      purpose={
        'Turn semantic layouts into pictures: paint a label map, or arrange a simple 3D scene ' +
        'that yields semantic, instance and flow maps per frame, and generate images or a ' +
        'temporally consistent video from them.'
      }
      steps={[
        'Paint a label map, or build a three.js scene and render its label, instance and ' +
          'flow maps.',
        'Generate a single image from a label map (pix2pixHD).',
        'Generate a video from a sequence of maps (vid2vid), as a cancellable job.',
        'Export the frames as a WebM video.',
      ]}
      models={['pix2pixhd', 'vid2vid']}
    />
  );
}
