// The spectrogram editor's controls: brush tool, size and strength; time
// stretch and pitch shift sliders with Apply; Undo and Reset.
import {
  BRUSH_TOOLS,
  PITCH_MAX_SEMITONES,
  STRETCH_MAX,
  STRETCH_MIN,
  type BrushTool,
} from '../../models/mel/melEdit';
import { UNDO_LIMIT } from '../../state/melEditStore';

const TOOL_LABEL: Record<BrushTool, string> = {
  raise: 'Raise',
  lower: 'Lower',
  erase: 'Erase',
  smooth: 'Smooth',
};

const TOOL_TITLE: Record<BrushTool, string> = {
  raise: 'Add the strength (ln units) under the brush',
  lower: 'Subtract the strength (ln units) under the brush',
  erase: 'Pull towards silence, ln(1e-5)',
  smooth: 'Pull towards the local average',
};

export interface BrushSettings {
  tool: BrushTool;
  /** brush radius in mel bands */
  radiusBands: number;
  /** ln units added or removed at the brush centre (raise, lower) */
  strength: number;
}

export interface MelEditToolsProps {
  brush: BrushSettings;
  onBrush(next: BrushSettings): void;
  stretch: number;
  onStretchChange(factor: number): void;
  onStretchApply(): void;
  semitones: number;
  onSemitonesChange(semitones: number): void;
  onPitchApply(): void;
  undoDepth: number;
  onUndo(): void;
  canReset: boolean;
  onReset(): void;
}

export function MelEditTools(p: MelEditToolsProps) {
  const { brush } = p;
  const usesStrength = brush.tool === 'raise' || brush.tool === 'lower';
  return (
    <div className="mel-edit-tools" data-testid="speech.melEdit.tools">
      <div className="mel-edit-row" role="radiogroup" aria-label="Brush tool">
        {BRUSH_TOOLS.map((tool) => (
          <button
            key={tool}
            type="button"
            role="radio"
            aria-checked={brush.tool === tool}
            className={brush.tool === tool ? 'mel-edit-tool active' : 'mel-edit-tool'}
            title={TOOL_TITLE[tool]}
            data-testid={`speech.melEdit.tool.${tool}`}
            onClick={() => p.onBrush({ ...brush, tool })}
          >
            {TOOL_LABEL[tool]}
          </button>
        ))}
        <label className="mel-edit-slider">
          <span>Size</span>
          <input
            type="range"
            min={1}
            max={20}
            step={0.5}
            value={brush.radiusBands}
            data-testid="speech.melEdit.size"
            onChange={(e) => p.onBrush({ ...brush, radiusBands: Number(e.target.value) })}
          />
          <output>{brush.radiusBands} bands</output>
        </label>
        <label
          className="mel-edit-slider"
          title={usesStrength ? undefined : 'Erase and smooth act fully at the brush centre'}
        >
          <span>Strength</span>
          <input
            type="range"
            min={0.25}
            max={6}
            step={0.25}
            value={brush.strength}
            disabled={!usesStrength}
            data-testid="speech.melEdit.strength"
            onChange={(e) => p.onBrush({ ...brush, strength: Number(e.target.value) })}
          />
          <output>{brush.strength.toFixed(2)} ln</output>
        </label>
      </div>
      <div className="mel-edit-row">
        <label className="mel-edit-slider">
          <span>Time stretch</span>
          <input
            type="range"
            min={STRETCH_MIN}
            max={STRETCH_MAX}
            step={0.05}
            value={p.stretch}
            data-testid="speech.melEdit.stretch"
            onChange={(e) => p.onStretchChange(Number(e.target.value))}
          />
          <output data-testid="speech.melEdit.stretch.value">{p.stretch.toFixed(2)}×</output>
        </label>
        <button
          type="button"
          data-testid="speech.melEdit.stretch.apply"
          disabled={p.stretch === 1}
          onClick={p.onStretchApply}
        >
          Apply stretch
        </button>
        <label className="mel-edit-slider">
          <span>Pitch</span>
          <input
            type="range"
            min={-PITCH_MAX_SEMITONES}
            max={PITCH_MAX_SEMITONES}
            step={1}
            value={p.semitones}
            data-testid="speech.melEdit.pitch"
            onChange={(e) => p.onSemitonesChange(Number(e.target.value))}
          />
          <output data-testid="speech.melEdit.pitch.value">
            {p.semitones > 0 ? '+' : ''}
            {p.semitones} st
          </output>
        </label>
        <button
          type="button"
          data-testid="speech.melEdit.pitch.apply"
          disabled={p.semitones === 0}
          onClick={p.onPitchApply}
        >
          Apply pitch
        </button>
        <span className="mel-edit-spacer" />
        <button
          type="button"
          data-testid="speech.melEdit.undo"
          disabled={p.undoDepth === 0}
          title={`${p.undoDepth} step(s) to undo (kept over a reload, at most ${UNDO_LIMIT})`}
          onClick={p.onUndo}
        >
          Undo <span data-testid="speech.melEdit.undo.depth">({p.undoDepth})</span>
        </button>
        <button
          type="button"
          data-testid="speech.melEdit.reset"
          disabled={!p.canReset}
          title="Back to the recording's own spectrogram"
          onClick={p.onReset}
        >
          Reset
        </button>
      </div>
    </div>
  );
}
