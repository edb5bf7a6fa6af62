/**
 * Copying a text the user must paste elsewhere (the install command). The Clipboard API exists
 * only in secure contexts, and Webmin is often reached over plain http: then the text is
 * selected in its field so Ctrl+C copies it.
 */

/** What happened: copied to the clipboard, or only selected for the user to copy. */
export type CopyOutcome = 'copied' | 'selected';

export async function copyOrSelect(text: string, field: HTMLTextAreaElement | HTMLInputElement): Promise<CopyOutcome> {
  try {
    if (!navigator.clipboard) throw new Error('no Clipboard API here');
    await navigator.clipboard.writeText(text);
    return 'copied';
  } catch {
    field.focus();
    field.select();
    // Deprecated, but the one copy that works outside secure contexts; it may also just refuse.
    try {
      if (document.execCommand('copy')) return 'copied';
    } catch { /* not supported */ }
    return 'selected';
  }
}
