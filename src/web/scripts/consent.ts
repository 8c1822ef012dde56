// The consent dialog without reloads: the choice is posted as the form would post it (same
// fields, same CSRF token), the server records it and sets its cookie, and the dialog closes.
// "Settings" opens the categories in place instead of going to the cookie page; the footer's
// "Cookie settings" opens the dialog again. A statistics script is loaded only after consent
// to statistics, and only if the site has one.

function loadStatistics(section: HTMLElement): void {
  const source = section.dataset.statisticsScript;
  if (!source || document.querySelector(`script[data-statistics]`)) return;
  const script = document.createElement("script");
  script.src = source;
  script.defer = true;
  script.dataset.statistics = "";
  document.body.append(script);
}

function openSettings(section: HTMLElement, toggle: HTMLElement | null): void {
  const choices = section.querySelector<HTMLElement>("#consent-choices");
  if (!choices) return;
  choices.hidden = false;
  toggle?.setAttribute("aria-expanded", "true");
  choices.querySelector<HTMLInputElement>("input:not([disabled])")?.focus();
}

// The page keeps room below its content for the open dialog (consent.css), as tall as the
// dialog really is, so that nothing stays hidden behind it.
function reserveRoom(root: Document, section: HTMLElement): void {
  if (typeof ResizeObserver === "undefined") return;
  new ResizeObserver(() => {
    root.documentElement.style.setProperty("--consent-height", `${section.offsetHeight}px`);
  }).observe(section);
}

export function enhanceConsent(root: Document): void {
  const section = root.querySelector<HTMLElement>("[data-consent]");
  const form = section?.querySelector<HTMLFormElement>("form");
  if (!section || !form) return;
  reserveRoom(root, section);
  const toggle = section.querySelector<HTMLElement>("[data-consent-customize]");

  toggle?.setAttribute("role", "button");
  toggle?.addEventListener("click", (event) => {
    event.preventDefault();
    const choices = section.querySelector<HTMLElement>("#consent-choices");
    if (choices && !choices.hidden) {
      choices.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
    } else {
      openSettings(section, toggle);
    }
  });

  for (const opener of Array.from(root.querySelectorAll<HTMLElement>("[data-consent-open]"))) {
    opener.addEventListener("click", (event) => {
      event.preventDefault();
      section.hidden = false;
      openSettings(section, toggle);
    });
  }

  // Set when the script gives up: the next submit goes to the server as a plain form post.
  let plainPost = false;
  form.addEventListener("submit", async (event) => {
    const submitter = (event as SubmitEvent).submitter;
    if (plainPost || !(submitter instanceof HTMLButtonElement)) return;
    event.preventDefault();
    const body = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (typeof value === "string") body.append(name, value);
    }
    body.set("choice", submitter.value);
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(`status ${response.status}`);
      const choice = (await response.json()) as { statistics: boolean; marketing: boolean };
      section.hidden = true;
      // The focused button is gone: continue at the page's content.
      root.getElementById("main")?.focus();
      const statistics = section.querySelector<HTMLInputElement>("#consent-statistics");
      const marketing = section.querySelector<HTMLInputElement>("#consent-marketing");
      if (statistics) statistics.checked = choice.statistics;
      if (marketing) marketing.checked = choice.marketing;
      if (choice.statistics) loadStatistics(section);
    } catch {
      // The server answers the plain form with a page that says what happened.
      plainPost = true;
      form.requestSubmit(submitter);
    }
  });
}
