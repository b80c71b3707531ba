import type { TrackingPlanMode } from '#core/contract/envelope.ts';
import type { DemoPlatform } from '#demo/demo-world.ts';

/** The sources (one write key each) NovaSuite sends from, and how their SDKs talk to the collector. */
export const DEMO_SOURCES = ['web-app', 'ios-app', 'android-app', 'backend'] as const;
export type DemoSource = (typeof DEMO_SOURCES)[number];

/**
 * The demo sources' tracking plan: strict. NovaSuite's apps send only events it wrote schemas for, and
 * the workload spoils some on purpose into names without one (`bad-events.ts`), which must be rejected
 * UNKNOWN_SCHEMA for its ground truth to hold. The `local` source `tally dev` prints a key for is a new
 * source and gets the default, `allow` (lambdas/local/local-write-keys.ts).
 */
export const DEMO_TRACKING_PLAN: TrackingPlanMode = 'strict';

export const SOURCE_OF_PLATFORM: Readonly<Record<DemoPlatform, DemoSource>> = {
  web: 'web-app',
  ios: 'ios-app',
  android: 'android-app',
  backend: 'backend',
};

/** SDK library names as they appear in `context.library` (Segment) or the native `platform` field. */
export const LIBRARY: Readonly<Record<DemoPlatform, { readonly name: string; readonly version: string }>> = {
  web: { name: 'analytics.js', version: '5.2.1' },
  ios: { name: 'analytics-ios', version: '4.1.8' },
  android: { name: 'analytics-android', version: '4.11.3' },
  backend: { name: 'analytics-node', version: '2.1.2' },
};

/** Share of each platform's events sent in Segment format (the rest use the native API). */
export const SEGMENT_SHARE: Readonly<Record<DemoPlatform, number>> = {
  web: 0.55,
  ios: 0.2,
  android: 0.8,
  backend: 0.9,
};
