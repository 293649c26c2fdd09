// The studio: header, the four panels as tabs, the jobs area and the notices.
// A panel stays mounted once visited, so switching tabs keeps its page state
// (players, scroll, half-typed input); saved work lives in the stores anyway.
import { useState, type KeyboardEvent, type ReactNode } from 'react';
import { SegmentPanel } from '../panels/segment/SegmentPanel';
import { SentimentPanel } from '../panels/sentiment/SentimentPanel';
import { SpeechPanel } from '../panels/speech/SpeechPanel';
import { SynthesizePanel } from '../panels/synthesize/SynthesizePanel';
import { useAppStore, type TabId } from '../state/appStore';
import { ErrorDialog } from './ErrorDialog';
import { Header } from './Header';
import { JobsArea } from './JobsArea';
import { PanelBoundary } from './PanelBoundary';

interface Tab {
  id: TabId;
  label: string;
  /** shown next to the label while the panel is a placeholder */
  planned: boolean;
  render(): ReactNode;
}

const TABS: Tab[] = [
  { id: 'segment', label: 'Segment', planned: true, render: () => <SegmentPanel /> },
  { id: 'synthesize', label: 'Synthesize', planned: true, render: () => <SynthesizePanel /> },
  { id: 'sentiment', label: 'Sentiment', planned: false, render: () => <SentimentPanel /> },
  { id: 'speech', label: 'Speech', planned: false, render: () => <SpeechPanel /> },
];

export function App() {
  const activeTab = useAppStore((s) => s.activeTab);
  const setActiveTab = useAppStore((s) => s.setActiveTab);
  const [visited, setVisited] = useState<ReadonlySet<TabId>>(() => new Set([activeTab]));

  const select = (id: TabId): void => {
    setActiveTab(id);
    setVisited((prev) => (prev.has(id) ? prev : new Set([...prev, id])));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    const index = TABS.findIndex((tab) => tab.id === activeTab);
    const next = TABS[(index + step + TABS.length) % TABS.length]!;
    select(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };

  return (
    <div className="app">
      <Header />
      <nav className="tabs" role="tablist" aria-label="Panels" onKeyDown={onKeyDown}>
        {TABS.map((tab) => (
          <button
            key={tab.id}
            id={`tab-${tab.id}`}
            type="button"
            role="tab"
            className="tab"
            aria-selected={tab.id === activeTab}
            aria-controls={`tabpanel-${tab.id}`}
            tabIndex={tab.id === activeTab ? 0 : -1}
            data-testid={`tabs.${tab.id}`}
            onClick={() => select(tab.id)}
          >
            {tab.label}
            {tab.planned && <span className="tab-planned">planned</span>}
          </button>
        ))}
      </nav>
      <div className="workspace">
        <main className="panels">
          {TABS.map((tab) =>
            visited.has(tab.id) ? (
              <div
                key={tab.id}
                id={`tabpanel-${tab.id}`}
                role="tabpanel"
                aria-labelledby={`tab-${tab.id}`}
                className="tabpanel"
                hidden={tab.id !== activeTab}
                data-testid={`tabpanel.${tab.id}`}
              >
                <PanelBoundary name={tab.label}>{tab.render()}</PanelBoundary>
              </div>
            ) : null,
          )}
        </main>
        <JobsArea />
      </div>
      <ErrorDialog />
    </div>
  );
}
