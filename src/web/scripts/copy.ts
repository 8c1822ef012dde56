// Copy buttons (the referral link): `<button data-copy="ID" hidden>` copies the value of the
// element with that id and says so in its `data-copied` text for a moment. Without a script,
// or without the Clipboard API, the button stays hidden and the field can be selected by hand.
export function enhanceCopyButtons(root: Document): void {
  if (!navigator.clipboard) return;
  for (const button of Array.from(root.querySelectorAll<HTMLButtonElement>("button[data-copy]"))) {
    const source = root.getElementById(button.dataset.copy ?? "") as HTMLInputElement | null;
    if (!source) continue;
    const label = button.textContent ?? "";
    const status = root.getElementById(`${button.dataset.copy}-status`);
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.value);
        if (status) status.textContent = button.dataset.copied ?? "";
      } catch {
        source.select();
      }
      button.textContent = label;
    });
  }
}
