import { describe, expect, it } from 'vitest';
import { renderTable, sanitizeCell } from './table.js';

describe('renderTable', () => {
  it('pads columns to the widest cell, right-aligns numbers and trims line ends', () => {
    const text = renderTable([{ header: 'ID' }, { header: 'CPU%', align: 'right' }, { header: 'NOTE' }], [
      ['web1', '5.0', ''],
      ['database-01', '100.0', 'x'],
    ]);
    expect(text).toBe(
      'ID            CPU%  NOTE\n'
      + 'web1           5.0\n'
      + 'database-01  100.0  x\n',
    );
  });

  it('replaces control characters so hub data cannot break the layout or the terminal', () => {
    expect(sanitizeCell('a\nb\u001b[31m')).toBe('a?b?[31m');
    expect(renderTable([{ header: 'N' }], [['x\ty']])).toBe('N\nx?y\n');
  });
});
