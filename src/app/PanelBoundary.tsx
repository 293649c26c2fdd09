// Keeps one crashing panel from blanking the studio: shows what broke in its
// place, reports it to the notices, and offers to render the panel again.
import { Component, type ReactNode } from 'react';
import { reportNotice } from '../state/appStore';
import { messageOf } from './wiring';

interface Props {
  name: string;
  children: ReactNode;
}

export class PanelBoundary extends Component<Props, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown): { error: unknown } {
    return { error };
  }

  override componentDidCatch(error: unknown): void {
    reportNotice('error', `${this.props.name} panel`, messageOf(error));
  }

  override render(): ReactNode {
    if (this.state.error === null) return this.props.children;
    return (
      <div className="panel-crash" role="alert" data-testid="panel.crash">
        <h2>The {this.props.name} panel stopped working</h2>
        <p>{messageOf(this.state.error)}</p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
