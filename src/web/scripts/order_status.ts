// The order's progress after payment without reloads: while the page says the order is
// pending, ask for the page again every two seconds and swap in its status. Without a script a
// meta refresh in <noscript> reloads the page instead.

const POLL_MS = 2000;

export function enhanceOrderStatus(root: Document): void {
  const status = root.querySelector<HTMLElement>("[data-order-status]");
  if (!status || !status.hasAttribute("data-pending")) return;
  const poll = async (): Promise<void> => {
    try {
      const response = await fetch(window.location.href, {
        headers: { Accept: "text/html" },
        credentials: "same-origin",
      });
      if (response.ok) {
        const next = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = next.querySelector<HTMLElement>("[data-order-status]");
        if (fresh) {
          if (status.innerHTML !== fresh.innerHTML) status.innerHTML = fresh.innerHTML;
          if (!fresh.hasAttribute("data-pending")) {
            status.removeAttribute("data-pending");
            return;
          }
        }
      }
    } catch {
      // A network hiccup: the next round tries again.
    }
    window.setTimeout(() => void poll(), POLL_MS);
  };
  window.setTimeout(() => void poll(), POLL_MS);
}
