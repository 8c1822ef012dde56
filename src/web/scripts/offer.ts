// The offer page's print button. Without a script it stays hidden and the browser's own print
// command does the same.
export function enhanceOffer(root: Document): void {
  for (const button of Array.from(root.querySelectorAll<HTMLButtonElement>("button[data-print]"))) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
}
