import { PlannedPanel } from '../common/PlannedPanel';

export function SegmentPanel() {
  return (
    <PlannedPanel
      testId="panel.segment"
      title="Segment"
      purpose={
        'Label one frame of a video and let the studio propagate that label map to the other ' +
        'frames with optical flow, then train a segmentation network on the result: a few ' +
        'hand-made labels become a labelled video and a model.'
      }
      steps={[
        'Load video frames and one hand-made label map (PNG).',
        'Estimate optical flow forward and backward between frames.',
        'Propagate images and labels from the labelled frame to its neighbours.',
        'Review the propagated frames and reject the bad ones.',
        'Train the segmentation network with boundary relaxation, as a cancellable job.',
        'Export the label maps as PNG with a manifest.',
      ]}
      models={['flow', 'segnet']}
    />
  );
}
