import { resolver } from '../../shared';

/** The example resolver's note, as `example/listNotes` returns it (a placeholder until the release panel lands). */
export interface Note {
  id: string;
  issueKey: string;
  text: string;
  author: string;
  createdAt: number;
}

export const listNotes = resolver<Record<string, never>, Note[]>('example/listNotes');
export const addNote = resolver<{ text: string }, Note>('example/addNote');
