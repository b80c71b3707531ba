import type { MiddlewareObj } from '@middy/core';

/** What the middleware flushes (MeteredEventStream). */
export interface AcceptedEventsPublisher {
  publish(): void;
}

/** The slice of a logger the middleware needs (Powertools Logger fits). */
export interface PublishLogger {
  error(message: string, attributes: Record<string, unknown>): void;
}

/**
 * Publishes the invocation's `AcceptedEvents` counts after the handler, and on its errors too: a
 * request answered 503 after part of it was acknowledged still put those events on the stream, and
 * they will land in raw. Use it last, so it runs first after the handler and before the error mapper.
 * A failure to publish is logged, never answered: the events are on the stream whatever the counts say
 * (the reconciliation shows lost counts as a negative gap).
 */
export const publishAcceptedEvents = (
  stream: AcceptedEventsPublisher,
  logger: PublishLogger,
): MiddlewareObj<unknown, unknown> => {
  const flush = (): void => {
    try {
      stream.publish();
    } catch (error) {
      logger.error('AcceptedEvents counts could not be published', { error });
    }
  };
  return { after: flush, onError: flush };
};
