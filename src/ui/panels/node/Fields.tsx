// Labelled fields for the inspector panels: a definition list whose every term carries
// a tooltip explaining the field (title), and whose values are easy to find in tests
// (data-testid="<prefix>-<key>").

import type { ReactNode } from 'react';
import './node.css';

export interface FieldDef {
  key: string;
  label: string;
  value: ReactNode;
  hint: string;
}

export function Fields({
  title,
  hint,
  fields,
  testPrefix,
}: {
  title: string;
  hint: string;
  fields: readonly FieldDef[];
  testPrefix: string;
}) {
  return (
    <section className="fields" aria-label={title}>
      <h3 className="fields-title" title={hint}>
        {title}
      </h3>
      <dl className="fields-list">
        {fields.map((f) => (
          <div key={f.key} className="field" title={f.hint}>
            <dt>{f.label}</dt>
            <dd data-testid={`${testPrefix}-${f.key}`}>{f.value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
