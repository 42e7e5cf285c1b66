// Copy buttons (CopyableLink.razor): true once the text is on the clipboard; false where the browser refuses
// (a page served over plain HTTP from another machine has no clipboard access), so the page can say what to do instead.
export async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
