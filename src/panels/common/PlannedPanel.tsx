// The honest placeholder for a panel that is not built yet: what it will do,
// step by step, and nothing that pretends to work.
export interface PlannedPanelProps {
  /** dotted test id, e.g. 'panel.segment' */
  testId: string;
  title: string;
  /** one paragraph: what the panel is for */
  purpose: string;
  /** the planned workflow, in order */
  steps: string[];
  /** models and formats involved, e.g. ['flow', 'segnet'] */
  models: string[];
}

export function PlannedPanel({ testId, title, purpose, steps, models }: PlannedPanelProps) {
  return (
    <section className="planned" data-testid={testId} data-built="false">
      <div className="planned-head">
        <h1>{title}</h1>
        <span className="pill pill-planned" data-testid={`${testId}.status`}>
          not built yet
        </span>
      </div>
      <p className="planned-purpose">{purpose}</p>
      <h2>Planned workflow</h2>
      <ol className="planned-steps">
        {steps.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
      <p className="muted planned-models">
        Models: {models.join(', ')}. This panel has no controls yet; nothing here runs.
      </p>
    </section>
  );
}
