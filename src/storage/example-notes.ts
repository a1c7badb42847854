import { randomUUID } from 'node:crypto';
import { kvs, WhereConditions, Sort } from '@forge/kvs';

export interface Note {
  id: string;
  issueKey: string;
  text: string;
  author: string;
  createdAt: number;
}

const ENTITY = 'example-note';

export async function saveNote(note: Omit<Note, 'id'>): Promise<Note> {
  const saved: Note = { id: randomUUID(), ...note };
  await kvs.entity<Note>(ENTITY).set(saved.id, saved);
  return saved;
}

export async function notesByIssue(issueKey: string): Promise<Note[]> {
  const page = await kvs
    .entity<Note>(ENTITY)
    .query()
    .index('by-issue', { partition: [issueKey] })
    .where(WhereConditions.greaterThan(0))
    .sort(Sort.DESC)
    .limit(20)
    .getMany();
  return page.results.map((r) => r.value);
}
