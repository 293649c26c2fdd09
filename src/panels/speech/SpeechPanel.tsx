// Placeholder until the Speech panel lands; replaced by its owner.
export function SpeechPanel() {
  return <section data-testid="panel.speech">Speech</section>;
}
