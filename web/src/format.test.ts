import { describe, expect, test } from 'vitest';
import { actionLabel, formatDate, formatSize, formatTimestamp, formatValue, mediaKind, parseDate, parseDays } from './format';

describe('formatDate', () => {
  const cases: [string | null, Parameters<typeof formatDate>[1], string][] = [
    ['2026-02-01', 'YYYY-MM-DD', '2026-02-01'],
    ['2026-02-01', 'DD/MM/YYYY', '01/02/2026'],
    ['2026-02-01', 'MM/DD/YYYY', '02/01/2026'],
    [null, 'DD/MM/YYYY', '—'],
    ['not a date', 'DD/MM/YYYY', 'not a date'],
  ];
  test.each(cases)('%s as %s is %s', (iso, format, want) => {
    expect(formatDate(iso, format)).toBe(want);
  });
});

describe('formatTimestamp', () => {
  test('shows the local date and time of the organisation', () => {
    // 2026-11-29T20:30Z is the 30th at 07:30 in Sydney (daylight saving, +11).
    expect(formatTimestamp('2026-11-29T20:30:00.000Z', 'DD/MM/YYYY', 'Australia/Sydney')).toBe('30/11/2026 07:30');
    expect(formatTimestamp('2026-11-29T20:30:00.000Z', 'YYYY-MM-DD', 'UTC')).toBe('2026-11-29 20:30');
  });
  test('falls back to UTC for an unknown zone', () => {
    expect(formatTimestamp('2026-11-29T20:30:00.000Z', 'YYYY-MM-DD', 'Mars/Base')).toBe('2026-11-29 20:30');
  });
});

describe('formatValue', () => {
  test('dates, statuses, lists and nothing', () => {
    expect(formatValue('2026-02-01', 'DD/MM/YYYY')).toBe('01/02/2026');
    expect(formatValue('pending', 'YYYY-MM-DD')).toBe('Pending approval');
    expect(formatValue(null, 'YYYY-MM-DD')).toBe('(none)');
    expect(formatValue([{ id: '1', filename: 'a.jpg' }], 'YYYY-MM-DD')).toBe('a.jpg');
    expect(formatValue(true, 'YYYY-MM-DD')).toBe('Yes');
    // Switches the log keeps as text read as words too.
    expect(formatValue('false', 'YYYY-MM-DD')).toBe('No');
  });
});

describe('parseDays', () => {
  test.each([
    ['60, 30, 7', [60, 30, 7]],
    ['  ', null],
    ['14 1', [14, 1]],
    ['x', undefined],
    ['-1', undefined],
  ] as const)('%j → %j', (s, want) => {
    expect(parseDays(s)).toEqual(want);
  });
});

test('actionLabel', () => {
  expect(actionLabel('credential.version_added')).toBe('Version added');
  expect(actionLabel('organization.updated')).toBe('Organisation changed');
  expect(actionLabel('organization.renamed')).toBe('Organisation renamed');
});

describe('parseDate', () => {
  test.each([
    ['2026-02-01', 'DD/MM/YYYY', '2026-02-01'],
    ['01/02/2026', 'DD/MM/YYYY', '2026-02-01'],
    ['1.2.2026', 'DD/MM/YYYY', '2026-02-01'],
    ['02/01/2026', 'MM/DD/YYYY', '2026-02-01'],
    ['01/02/2026', 'YYYY-MM-DD', null],
    ['29/02/2027', 'DD/MM/YYYY', null],
    ['29/02/2028', 'DD/MM/YYYY', '2028-02-29'],
    ['2026-13-01', 'YYYY-MM-DD', null],
    ['', 'YYYY-MM-DD', null],
  ] as const)('%s as %s is %s', (text, format, want) => {
    expect(parseDate(text, format)).toBe(want);
  });
});

describe('formatSize', () => {
  test.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [999, '999 bytes'],
    [183201, '179 KB'],
    [1536, '1.5 KB'],
    [20 * 1024 * 1024, '20 MB'],
    [4.2 * 1024 * 1024, '4.2 MB'],
  ])('%d bytes is %s', (n, want) => {
    expect(formatSize(n)).toBe(want);
  });
});

describe('mediaKind', () => {
  test.each([
    ['application/pdf', 'PDF'],
    ['image/jpeg', 'JPEG'],
    ['image/png', 'PNG'],
    ['image/heic', 'HEIC'],
    ['application/octet-stream', 'File'],
  ])('%s is %s', (t, want) => {
    expect(mediaKind(t)).toBe(want);
  });
});
