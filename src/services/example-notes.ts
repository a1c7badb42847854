import { notesByIssue, saveNote, type Note } from '../storage/example-notes';

export async function listNotes(issueKey: string): Promise<Note[]> {
  return notesByIssue(issueKey);
}

export async function addNote(issueKey: string, text: string, author: string, now: number): Promise<Note> {
  return saveNote({ issueKey, text, author, createdAt: now });
}
