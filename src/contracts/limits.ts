/**
 * The bounds of resolver payloads, as plain numbers: the zod schemas (`primitives.ts`, `schemas.ts`,
 * `dsl.ts`) are built from them and the UI's forms check against them, so the two cannot drift and the
 * browser bundle carries no zod. Imports nothing.
 */

/** Shared sizes of text, lists and pages. */
export const LIMITS = {
  shortText: 200,
  text: 2_000,
  longText: 10_000,
  url: 2_000,
  cursor: 1_000,
  pageSize: 100,
  fallbackSteps: 50,
  listItems: 50,
} as const;

/** Per-field bounds of particular payloads. */
export const FIELD_LIMITS = {
  /** Jira's summary limit (`release/submit`). */
  summary: 255,
  /** A rehearsal's environment name. */
  environment: 100,
  /** `fallback/edit` data backup reference. */
  dataBackupRef: 500,
  /** `plan/edit` planned effort, hours (exclusive minimum 0). */
  plannedEffortHours: 100_000,
  /** A fallback step's expected minutes (1 … one week). */
  stepMinutes: 7 * 24 * 60,
  /** `progress/report` effort, hours. */
  progressEffortHours: 1_000,
  /** Trainees assessed or passed in one training result. */
  trainees: 100_000,
  /** A participant evaluation's rating, 1 … 5. */
  ratingMin: 1,
  ratingMax: 5,
  /** Account ids named in one `people/names` call. */
  peopleNames: 50,
  /** What a person types into a people picker (`people/search`). */
  peopleQuery: 100,
} as const;
