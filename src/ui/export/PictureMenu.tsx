// The top bar's "Picture" menu: each view of views.ts as SVG, or as PNG at twice its
// size. Test ids: `export-picture`, `export-picture-<view>-<svg|png>`.

import { DropMenu } from '../controls/DropMenu';
import { pushNotice, selectClusterStatus, useRaft } from '../store';
import { exportPicture, pngScale, type PictureFormat } from './picture';
import { pictureViews } from './views';

const items = pictureViews.flatMap((view) =>
  (['svg', 'png'] as const).map((format: PictureFormat) => ({
    view,
    format,
    key: `${view.id}-${format}`,
    label: `${view.title} as ${format === 'svg' ? 'SVG' : `PNG (${pngScale}×)`}`,
  })),
);

export function PictureMenu() {
  const ready = useRaft(selectClusterStatus) === 'ready';
  return (
    <DropMenu
      label="Picture"
      testId="export-picture"
      listLabel="Pictures"
      disabled={!ready}
      title="Export a picture of a view, with a caption and a legend"
    >
      {(close) =>
        items.map((it) => (
          <button
            key={it.key}
            type="button"
            data-testid={`export-picture-${it.key}`}
            onClick={() => {
              close();
              exportPicture(it.view, it.format).then(
                (name) => pushNotice('info', `Picture saved as ${name}`),
                (e: unknown) => pushNotice('error', `Export picture failed: ${e instanceof Error ? e.message : e}`),
              );
            }}
          >
            {it.label}
          </button>
        ))
      }
    </DropMenu>
  );
}
