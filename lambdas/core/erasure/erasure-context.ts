import type { Sleep } from '#core/retry/sleep.ts';
import type { CatalogSource } from '#core/warehouse/catalog-rows.ts';
import type { TransformSettings } from '#core/warehouse/settings.ts';
import type { ErasureDb } from './erasure-db.ts';
import type { ErasureLock } from './erasure-lock.ts';
import type { ObjectWorkQueue } from './object-work.ts';
import type { ObjectStore } from './ports.ts';
import type { ErasureRequest, ErasureStep } from './request-record.ts';
import type { ErasureSettings } from './settings.ts';
import type { ErasureSubject } from './subject.ts';

/** What an erasure step tells the operator as it goes (the CLI prints it; the Lambda logs it). */
export interface ErasureProgress {
  readonly requestId: string;
  readonly step: ErasureStep;
  readonly message: string;
}

/** Everything a step needs. */
export interface ErasureContext {
  readonly db: ErasureDb;
  readonly objects: ObjectStore;
  /** The feature catalog, for the model runner (its catalog models are not run by the erasure). */
  readonly catalog: CatalogSource;
  readonly settings: ErasureSettings;
  readonly transformSettings: Partial<TransformSettings>;
  readonly clock: () => Date;
  readonly lock: ErasureLock;
  readonly progress: (event: ErasureProgress) => void;
  readonly sleep: Sleep;
  /**
   * Where the objects and verify steps hand out their objects, one each (AWS: an SQS queue and its workers);
   * unset, the steps work them themselves, partition by partition.
   */
  readonly objectQueue?: ObjectWorkQueue;
}

/** A step: does its work and returns the request as it saved it (advanced to the next step). */
export type ErasureStepRun = (ctx: ErasureContext, request: ErasureRequest) => Promise<ErasureRequest>;

/** The subject of an open request. */
export const subjectOf = (request: ErasureRequest): ErasureSubject => {
  if (request.userId === null) {
    throw new TypeError(`erasure request ${request.requestId} has no user id (completed requests keep none)`);
  }
  return {
    userId: request.userId,
    workspaceId: request.workspaceId,
    anonymousIds: request.anonymousIds ?? [],
  };
};
