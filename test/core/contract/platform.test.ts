import { normalisePlatform, pickPlatform } from '#core/contract/platform.ts';

describe('normalisePlatform', () => {
  it.each([
    ['iOS', 'ios'],
    ['ios', 'ios'],
    ['iPhone', 'ios'],
    ['iPad', 'ios'],
    ['iPadOS', 'ios'],
    ['iOS 17.4.1', 'ios'],
    ['analytics-ios', 'ios'],
    ['Android', 'android'],
    ['android', 'android'],
    ['analytics-android', 'android'],
    ['web', 'web'],
    ['browser', 'web'],
    ['JavaScript', 'web'],
    ['analytics.js', 'web'],
    ['@segment/analytics-next', 'web'],
    ['server', 'backend'],
    ['backend', 'backend'],
    ['node', 'backend'],
    ['analytics-node', 'backend'],
    ['python', 'backend'],
    ['analytics-python', 'backend'],
    ['java', 'backend'],
    ['  Android  ', 'android'],
  ])('maps %s to %s', (hint, platform) => {
    expect(normalisePlatform(hint)).toBe(platform);
  });

  it.each([['Windows'], ['smart-fridge'], ['Mac OS X']])('maps the unknown hint %s to other', (hint) => {
    expect(normalisePlatform(hint)).toBe('other');
  });

  it.each([[undefined], [null], [''], ['   '], [42]])('has no platform for the non-hint %p', (hint) => {
    expect(normalisePlatform(hint)).toBeNull();
  });
});

describe('pickPlatform', () => {
  it('takes the first hint that names a known platform', () => {
    expect(pickPlatform(undefined, 'mobile', 'analytics-android', 'Android')).toBe('android');
  });

  it('answers other when hints exist but none is known', () => {
    expect(pickPlatform(undefined, 'watch', 'tally-embedded', undefined)).toBe('other');
  });

  it('answers null when no hint exists', () => {
    expect(pickPlatform(undefined, null, undefined, '')).toBeNull();
  });
});
