/** A unified diff, each line coloured by kind (added, removed, hunk header, context). */
import { diffLineKind } from '../plans.js';

export function Diff({ text }: { text: string }) {
  if (!text) return <p class="uc-note">No change.</p>;
  return (
    <pre class="uc-diff uc-mono" data-testid="plan-diff">
      {text.trimEnd().split('\n').map((l) => <div class={`uc-diff-${diffLineKind(l)}`}>{l || ' '}</div>)}
    </pre>
  );
}
