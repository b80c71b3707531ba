import { SubjectMatcher } from '#core/erasure/line-matcher.ts';
import type { ErasureSubject } from '#core/erasure/subject.ts';
import { fixture, lineText } from './support/lines.ts';

const subject = (over: Partial<ErasureSubject> = {}): ErasureSubject => ({
  userId: 'u-12',
  workspaceId: null,
  anonymousIds: ['anon-12'],
  ...over,
});
const matcher = (over: Partial<ErasureSubject> = {}) => new SubjectMatcher(subject(over));

describe('SubjectMatcher on validated lines', () => {
  it("matches the user's event by user_id and reports its anonymous id as linked", () => {
    expect(matcher({ anonymousIds: [] }).eventLine(lineText('event_of_user'))).toEqual({
      match: true,
      by: 'identity',
      dedupKey: fixture('event_of_user').dedup_key,
      linkedAnonymousId: 'anon-12',
    });
  });

  it('matches a Segment event of the user', () => {
    expect(matcher().eventLine(lineText('segment_event_of_user'))).toMatchObject({
      match: true,
      by: 'identity',
    });
  });

  it('does not match the event of a user whose id only contains the erased id', () => {
    expect(matcher().eventLine(lineText('event_of_longer_id'))).toEqual({ match: false });
  });

  it('matches an event without user id that carries a linked anonymous id', () => {
    expect(matcher().eventLine(lineText('anonymous_event_of_user'))).toMatchObject({
      match: true,
      by: 'identity',
    });
  });

  it("leaves another user's event that carries a linked anonymous id (a shared device)", () => {
    expect(matcher().eventLine(lineText('shared_device_event'))).toEqual({ match: false });
  });

  it("matches another user's event that holds the user id as a whole string value", () => {
    expect(matcher().eventLine(lineText('event_mentioning_user'))).toEqual({
      match: true,
      by: 'mention',
      dedupKey: fixture('event_mentioning_user').dedup_key,
      linkedAnonymousId: null,
    });
  });

  it('matches only lines of the scoped workspace', () => {
    const scoped = matcher({ workspaceId: 'ws-globex' });

    expect(scoped.eventLine(lineText('event_of_user_other_workspace'))).toMatchObject({ match: true });
    expect(scoped.eventLine(lineText('event_of_user'))).toEqual({ match: false });
  });

  it('finds an id a client wrote with unicode escapes', () => {
    const line = lineText('event_mentioning_user').replace(
      '"mentioned_user_id":"u-12"',
      '"mentioned_user_id":"\\u0075-12"',
    );

    expect(matcher().eventLine(line)).toMatchObject({ match: true, by: 'mention' });
  });

  it('finds ids that JSON must escape', () => {
    const odd = 'u"12\\x';
    const line = JSON.stringify({ ...fixture('event_of_user'), user_id: odd });

    expect(matcher({ userId: odd }).eventLine(line)).toMatchObject({ match: true, by: 'identity' });
  });
});

describe('SubjectMatcher on rejected lines', () => {
  it('matches a rejected line whose parsed user_id is the user', () => {
    expect(matcher().rejectedLine(lineText('rejected_schema_of_user'))).toMatchObject({ match: true });
  });

  it('matches a malformed record whose text holds the user id as a JSON string token', () => {
    expect(fixture('rejected_malformed_of_user').user_id).toBeNull();
    expect(matcher().rejectedLine(lineText('rejected_malformed_of_user'))).toMatchObject({ match: true });
  });

  it('does not match a malformed record of a longer id that contains the erased id', () => {
    expect(matcher().rejectedLine(lineText('rejected_malformed_of_longer_id'))).toEqual({ match: false });
  });

  it('looks into the original bytes of a record that was not UTF-8', () => {
    const line = fixture('rejected_undecodable_of_user');
    const bytes = Buffer.from(String(line.raw_record_base64), 'base64');
    const hidden = { ...line, user_id: null, raw_record: 'unreadable' };

    expect(bytes.toString('latin1')).toContain('"u-12"');
    expect(matcher().rejectedLine(JSON.stringify(hidden))).toMatchObject({ match: true });
  });

  it('matches a record of unknown workspace under a workspace scope, so nothing of the user is left behind', () => {
    expect(
      matcher({ workspaceId: 'ws-acme' }).rejectedLine(lineText('rejected_malformed_of_other_workspace')),
    ).toMatchObject({ match: true });
  });

  it('applies the same rule to a raw.rejected_events row', () => {
    const row = fixture('rejected_malformed_of_user');

    expect(
      matcher().rejectedRow({ user_id: null, workspace_id: null, raw_record: String(row.raw_record) }),
    ).toBe(true);
    expect(
      matcher().rejectedRow({
        user_id: 'u-123',
        workspace_id: 'ws-acme',
        raw_record: String(fixture('rejected_malformed_of_longer_id').raw_record),
      }),
    ).toBe(false);
  });
});
