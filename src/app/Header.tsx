import { BackendStatus } from './BackendStatus';
import { ModelBackends } from './ModelBackends';
import { ProjectMenu } from './ProjectMenu';

export function Header() {
  return (
    <header className="header" data-testid="header">
      <div className="brand">
        <span className="brand-name" data-testid="header.title">
          Semilab
        </span>
        <span className="brand-tag">semi-supervised learning studio</span>
      </div>
      <BackendStatus />
      <ModelBackends />
      <ProjectMenu />
    </header>
  );
}
