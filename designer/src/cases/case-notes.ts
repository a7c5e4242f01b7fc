/** A case's notes and attachments, with the forms to add them: on the case page and on every task of the case. */
import { t } from '../i18n';
import { h, replace } from '../shared/dom';
import { formatDateTime } from '../shared/format';
import { toast, toastError } from '../shared/toast';
import { addAttachment, addNote, openAttachment, readCase, type CaseNote } from './case-data';

/** Renders the notes of `businessKey` into `host`; re-renders after each addition. */
export async function renderCaseNotes(
  host: HTMLElement,
  businessKey: string,
  known?: { notes: CaseNote[]; maxBytes: number },
): Promise<void> {
  let data = known;
  if (!data) {
    const view = await readCase(businessKey);
    data = { notes: view.notes, maxBytes: view.attachmentMaxBytes };
  }
  const { notes, maxBytes } = data;
  const reload = () => renderCaseNotes(host, businessKey).catch(toastError);
  const text = h('textarea', {
    rows: 3,
    'data-testid': 'note-text',
    placeholder: t('case.notePlaceholder'),
    'aria-label': t('case.addNote'),
  });
  // the browser's own file control speaks the browser's language ("Choose File", "No file chosen"): it stays
  // hidden, and a button in the app's language opens it; the file is uploaded as soon as it is chosen
  const file = h('input', {
    type: 'file',
    hidden: true,
    'data-testid': 'attachment-file',
  });
  const choose = h(
    'button',
    { type: 'button', 'data-action': 'choose-attachment', onclick: () => file.click() },
    t('case.chooseFile'),
  );
  const noteButton = h('button', { type: 'button', class: 'primary', 'data-action': 'add-note' }, t('case.addNote'));
  noteButton.onclick = async () => {
    if (!text.value.trim()) return;
    noteButton.disabled = true;
    try {
      await addNote(businessKey, text.value);
      toast(t('case.noteAdded'), 'success');
      await reload();
    } catch (error) {
      toastError(error);
    } finally {
      noteButton.disabled = false;
    }
  };
  file.onchange = async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    try {
      await addAttachment(businessKey, chosen);
      toast(t('case.attached', { name: chosen.name }), 'success');
      await reload();
    } catch (error) {
      toastError(error);
      file.value = '';
    }
  };
  replace(
    host,
    h(
      'section',
      { class: 'case-notes', 'data-testid': 'case-notes', 'aria-label': t('case.notes') },
      notes.length === 0
        ? h('p', { class: 'muted' }, t('case.noNotes'))
        : h(
            'ul',
            { class: 'note-list' },
            notes.map((note) =>
              h(
                'li',
                { class: `note note-${note.kind}`, 'data-note-id': note.id },
                h('span', { class: 'muted note-meta' }, `${formatDateTime(note.createdAt)} · ${note.createdBy ?? '—'}`),
                note.kind === 'note'
                  ? h('p', { class: 'note-text' }, note.text ?? '')
                  : h(
                      'button',
                      {
                        type: 'button',
                        class: 'link-button attachment-link',
                        onclick: () => openAttachment(businessKey, note).catch(toastError),
                      },
                      `${note.filename} (${sizeText(note.size ?? 0)})`,
                    ),
              ),
            ),
          ),
      h('div', { class: 'note-form' }, text, h('div', { class: 'form-actions' }, noteButton)),
      h(
        'div',
        { class: 'attach-label' },
        h('span', {}, t('case.attach')),
        choose,
        file,
        h('span', { class: 'muted' }, t('case.attachHint', { size: sizeText(maxBytes) })),
      ),
    ),
  );
}

function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}
