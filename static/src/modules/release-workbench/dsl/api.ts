import { RESOLVER_KEYS as K } from '../../../../../src/contracts/keys';
import type { DslImportJob, DslImportReport } from '../../../../../src/contracts/dsl-csv';
import type { DslCommandResult, DslConsistencyView, DslExport, DslItemRow, DslItemView, FixVersion, Page, UsageRequestRow } from '../../../../../src/contracts/views';
import type { DslEnvironment, DslEnvironmentVersion, DslHistoryEvent, DslItem, DslStatus, UsageRequest, UsageRequestStatus } from '../../../../../src/domain/dsl';
import type { DslFinding } from '../../../../../src/domain/dsl-consistency';
import { resolver } from '../../../shared';

export type {
  DslCommandResult,
  DslConsistencyView,
  DslEnvironment,
  DslEnvironmentVersion,
  DslFinding,
  DslHistoryEvent,
  DslImportJob,
  DslImportReport,
  DslItem,
  DslItemRow,
  DslItemView,
  DslStatus,
  FixVersion,
  Page,
  UsageRequest,
  UsageRequestRow,
  UsageRequestStatus,
};

export type DslSearch = {
  projectId: string;
  status?: DslStatus;
  nameStartsWith?: string;
  version?: string;
  environment?: DslEnvironment;
  releaseId?: string;
  cursor?: string;
  limit?: number;
}

export type RegisterInput = {
  projectId: string;
  name: string;
  version: string;
  sha256: string;
  sizeBytes: number;
  licence: string;
  vendor: string;
  storageUri: string;
  mediaType: string;
  fixVersionId?: string;
  cmdbCiRef?: string;
  releaseIds?: string[];
  /** Issue keys as typed (`PAY-196`): the server resolves them. */
  releaseKeys?: string[];
  supersedesItemId?: string;
}

type OnItem = {
  itemId: string;
  expectedVersion: number;
  releaseId?: string;
}

export const listDslItems = resolver<DslSearch, Page<DslItemRow>>(K.listDslItems);
export const getDslItem = resolver<{ itemId: string; historyCursor?: string }, DslItemView>(K.getDslItem);
export const getConsistency = resolver<{ projectId: string; releaseId?: string }, DslConsistencyView>(K.getDslConsistency);
export const listFixVersions = resolver<{ projectId: string }, FixVersion[]>(K.listDslFixVersions);
export const exportDsl = resolver<{ projectId: string }, DslExport>(K.exportDsl);
/** The chunked import (see ./upload.ts for the upload itself). */
export const commitImport = resolver<{ projectId: string; importId: string; dryRun?: boolean }, { report: DslImportReport; job: DslImportJob }>(K.dslImportCommit);
/** Without `importId`: the project's import being written (or the last one), null when there is none. */
export const importStatus = resolver<{ projectId: string; importId?: string }, DslImportJob | null>(K.dslImportStatus);

export const registerItem = resolver<RegisterInput, DslCommandResult>(K.dslRegister);
export const approveItem = resolver<OnItem, DslCommandResult>(K.dslApprove);
export const checkInItem = resolver<OnItem & { note?: string }, DslCommandResult>(K.dslCheckIn);
export const checkOutItem = resolver<OnItem & { usageRequestId: string }, DslCommandResult>(K.dslCheckOut);
export const returnItem = resolver<OnItem & { note?: string }, DslCommandResult>(K.dslReturn);
export const replaceItem = resolver<OnItem & { replacementItemId: string }, DslCommandResult>(K.dslReplace);
export const retireItem = resolver<OnItem & { reason: string }, DslCommandResult>(K.dslRetire);
export const linkItem = resolver<OnItem & { releaseId: string }, DslCommandResult>(K.dslLink);
export const auditItem = resolver<
  OnItem & { observedSha256?: string; observedSizeBytes?: number; observedStorageUri?: string; observedVersion?: string; observedLicence?: string; differences: { field: string; expected: string; actual: string }[]; note?: string },
  DslCommandResult & { matched: boolean; differences: { field: string; expected: string; actual: string }[] }
>(K.dslAudit);
export const requestUsage = resolver<{ itemId: string; purpose: string; environment: DslEnvironment; releaseId?: string; releaseKey?: string }, { request: UsageRequest; version: number }>(K.dslRequestUsage);
export const decideUsage = resolver<{ requestId: string; expectedVersion: number; approve: boolean; note?: string }, { request: UsageRequest; version: number }>(K.dslDecideUsage);
export const syncEnvironments = resolver<{ releaseId: string }, { updated: number }>(K.dslSyncEnvironments);
